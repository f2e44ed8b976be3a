import { type Colours, PAGE_BACKGROUND } from './brand.ts';

// The chat page's style sheet. The institution's colours are custom properties;
// everything else is neutral. Contrast: text >= 4.5:1 (brand.ts checks the
// charter's colours), borders of the box and controls >= 3:1; every control is
// at least 44×44 px (a thumb, not a mouse).

export function chatStyle(c: Colours): string {
  return `
  :root { font-family: system-ui, sans-serif; color-scheme: light; color: #1a1a1a; --primary: ${c.primary}; --on-primary: ${c.onPrimary}; --accent: ${c.accent}; --line: #6b7280; }
  * { box-sizing: border-box; }
  body { margin: 0; background: ${PAGE_BACKGROUND}; display: flex; flex-direction: column; height: 100dvh; }
  .sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }
  button, textarea, summary { font: inherit; }
  button { min-height: 44px; min-width: 44px; cursor: pointer; }
  :focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
  header { background: var(--primary); color: var(--on-primary); padding: 8px 12px; }
  .brand { display: flex; align-items: center; gap: 10px; }
  .brand img { width: 40px; height: 40px; flex: none; }
  .brand h1 { margin: 0; font-size: 1.1rem; line-height: 1.2; }
  .brand p { margin: 0; font-size: 0.85rem; }
  .bar { display: flex; justify-content: space-between; align-items: center; gap: 8px; margin-top: 6px; }
  .langs { display: flex; gap: 4px; }
  header button { background: transparent; color: var(--on-primary); border: 2px solid var(--on-primary); border-radius: 22px; padding: 0 12px; }
  header button[aria-pressed="true"] { background: var(--on-primary); color: var(--primary); font-weight: 600; }
  main { flex: 1; display: flex; flex-direction: column; min-height: 0; }
  #privacy { background: #fff; border-bottom: 1px solid #c9d6c9; padding: 0 16px; font-size: 0.85rem; max-height: 40dvh; overflow-y: auto; flex: none; }
  #privacy summary { cursor: pointer; color: var(--primary); min-height: 44px; display: flex; align-items: center; }
  #privacy p { margin: 6px 0; line-height: 1.35; }
  #log { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 8px; }
  .msg { max-width: 88%; padding: 8px 12px; border-radius: 12px; white-space: pre-wrap; overflow-wrap: anywhere; line-height: 1.4; }
  .in { align-self: flex-end; background: #d9fdd3; }
  .out { align-self: flex-start; background: #fff; }
  .officer { background: #fff; border-left: 6px solid var(--accent); border-radius: 4px 12px 12px 4px; }
  .officer .who { display: block; font-weight: 700; margin-bottom: 2px; }
  .note { background: #fff8e1; border: 1px solid #8a6d00; }
  mark.ref { background: #fff3c4; color: #1a1a1a; border: 1px solid #8a6d00; border-radius: 6px; padding: 1px 5px; white-space: nowrap; }
  mark.ref code { font-family: ui-monospace, monospace; font-size: 1rem; font-weight: 700; letter-spacing: 0.02em; }
  .options, .refs { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 8px; white-space: normal; }
  .options button, .refs button { border: 2px solid var(--primary); background: #fff; color: var(--primary); border-radius: 22px; padding: 8px 14px; text-align: left; }
  footer { background: #fff; border-top: 1px solid #c9d6c9; padding: 8px 10px; }
  form { display: flex; gap: 8px; align-items: flex-end; }
  textarea { flex: 1; min-height: 44px; max-height: 160px; resize: none; padding: 10px 14px; font-size: 1rem; line-height: 1.3; border: 2px solid var(--line); border-radius: 22px; background: #fff; color: #1a1a1a; }
  textarea::placeholder { color: #5c6670; }
  form button { background: var(--primary); color: var(--on-primary); border: 0; border-radius: 22px; padding: 0 18px; font-weight: 600; }
  form button:disabled { opacity: 0.75; cursor: progress; }
  .counter { margin: 4px 14px 0; font-size: 0.85rem; color: #3d4650; }
  .counter.full { color: #a40e26; font-weight: 600; }
  dialog { border: 2px solid var(--primary); border-radius: 12px; padding: 16px; max-width: min(92vw, 420px); }
  dialog::backdrop { background: rgb(0 0 0 / 45%); }
  dialog h2 { margin: 0 0 8px; font-size: 1.1rem; }
  dialog p { line-height: 1.4; }
  dialog menu { display: flex; flex-wrap: wrap; gap: 8px; justify-content: flex-end; padding: 0; margin: 12px 0 0; }
  dialog button { border-radius: 22px; padding: 0 16px; border: 2px solid var(--primary); background: #fff; color: var(--primary); }
  dialog button[value="yes"] { background: var(--primary); color: var(--on-primary); }
`;
}
