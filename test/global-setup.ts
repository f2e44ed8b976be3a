import { createNlu } from '../intents/nlu.ts';

export default function setup(): void {
  createNlu();
}
