import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', '{bot,channels,intents,db,locales}/**/*.test.ts'],
    // Trains the intent model once into the cache, so test files do not each train it.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
