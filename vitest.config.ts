import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', '{bot,channels,intents,db,locales}/**/*.test.ts'],
    // Trains the intent model once into the cache, so test files do not each train it.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll waits for what a page or a server shows; on a loaded 2-core CI machine a first answer can take
    // longer than the default 1 s. A poll ends as soon as its condition holds, so waiting longer costs nothing.
    expect: { poll: { timeout: 15_000 } },
  },
});
