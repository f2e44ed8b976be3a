import { describe, expect, it } from 'vitest';
import { loadFlows } from '../../bot/flows/flows.ts';
import { acceptAnswer, startForm } from '../../bot/flows/form.ts';
import { extractEntities } from '../../intents/entities.ts';

// Details said in so many words (flows.yml `stated` and `replies`): in the
// first message they fill the form, so the question is not asked; as the
// answer to the question they are taken without choosing an option's number.
const flows = loadFlows();
const now = new Date('2026-11-23T08:00:00Z');
const started = (text: string) => startForm(flows, 'equipment_repair', text, extractEntities(text, { now }));
const labels = () => ['Ndiyo', 'Hapana'];
const answered = (text: string) => {
  const a = acceptAnswer(flows, { intent: 'equipment_repair', answers: {} }, 'under_contract', text, extractEntities(text, { now }), labels);
  return a.status === 'accepted' ? [a.state.answers.under_contract, a.state.variant] : a.status;
};

describe('the contract question answered in the first message', () => {
  it.each([
    ['Projekta ya ukumbi imeharibika na haina mkataba wa matengenezo', 'no'],
    ['printa imeharibika, haiko chini ya warranty', 'no'],
    ['kifaa kimeharibika na hakiko chini ya mkataba', 'no'],
    ['kompyuta imekufa, warranty imeisha mwaka jana', 'no'],
    ['laptop imeharibika, hatuna mkataba na mtoa huduma', 'no'],
    ['The projector is broken and has no maintenance contract', 'no'],
    ['the printer is broken, it is not under warranty', 'no'],
    ['the laptop is out of warranty and will not start', 'no'],
    ["the scanner broke and we don't have a maintenance contract", 'no'],
    ['the UPS failed; its warranty has expired', 'no'],
    ['printa ya masjala imeharibika lakini iko chini ya warranty', 'yes'],
    ['kifaa hiki kiko chini ya mkataba wa matengenezo na kimeharibika', 'yes'],
    ['kompyuta mpya imeharibika, ina warranty', 'yes'],
    ['The registry printer is broken but it is still under warranty', 'yes'],
    ['the projector has a maintenance contract with the vendor and is broken', 'yes'],
  ])('%s → %s', (text, option) => {
    const form = started(text);
    expect(form.answers.under_contract).toBe(option);
    expect(form.variant).toBe(option === 'yes' ? 'contract' : 'workshop');
  });

  it.each([
    'projekta ya ukumbi imeharibika haiwaki kabisa',
    'printa haina wino',
    'hakuna anayejua kama kuna mkataba',
    'the printer is broken',
    // Both said: the question is asked.
    'warranty imeisha lakini tuna mkataba wa matengenezo na kampuni',
  ])('asks when it is not said plainly: %s', (text) => {
    const form = started(text);
    expect(form.answers.under_contract).toBeUndefined();
    expect(form.variant).toBeUndefined();
  });
});

describe('the contract question answered in words', () => {
  it.each([
    ['ndiyo', 'yes'],
    ['1', 'yes'],
    ['Ndiyo, kipo', 'yes'],
    ['iko', 'yes'],
    ['ina warranty', 'yes'],
    ['yes it is', 'yes'],
    ['under warranty', 'yes'],
    ['hapana', 'no'],
    ['2', 'no'],
    ['haina', 'no'],
    ['hapana, haina', 'no'],
    ['hakuna mkataba', 'no'],
    ['warranty imeisha', 'no'],
    ['no it isnt', 'no'],
    ['no, the warranty expired', 'no'],
  ])('%s → %s', (text, option) => {
    expect(answered(text)).toEqual([option, option === 'yes' ? 'contract' : 'workshop']);
  });

  it.each(['sijui', 'labda', 'printa ya masjala', 'hapana sijui', 'acha basi, hakuna haja', 'no idea'])('asks again after %s', (text) => {
    expect(answered(text)).toBe('invalid');
  });
});
