// A realistic AI workload, generated deterministically from a seed: a few hundred prompts with a
// Zipf distribution over operations, tenants and prompts, and bursts of identical concurrent requests.

/** The system prompt of every request. */
export const SYSTEM_PROMPT = 'You are the support assistant of a SaaS company. Be brief.';

/** One request the replay sends: who asks, for which operation, to which model, with which prompt. */
export interface WorkItem {
  readonly tenant: string;
  readonly operation: string;
  readonly modelId: string;
  /** The user message (the system prompt is {@link SYSTEM_PROMPT}). */
  readonly prompt: string;
  /** Requests with the same burst id are sent at the same instant (identical concurrent requests). */
  readonly burst: number | null;
}

/** Operations, most frequent first, with the model each uses and its prompt template. */
export const OPERATIONS = [
  { name: 'chat', model: 'gpt-4o', template: (t: string) => `Answer the customer question: ${t}` },
  { name: 'summarize', model: 'gpt-4o', template: (t: string) => `Summarize in two sentences: ${t}` },
  { name: 'classify', model: 'gpt-4o-mini', template: (t: string) => `Classify the ticket as billing, bug, feature or other: ${t}` },
  { name: 'extract', model: 'gpt-4o-mini', template: (t: string) => `Extract the product names as JSON: ${t}` },
  { name: 'translate', model: 'gpt-4o', template: (t: string) => `Translate to French: ${t}` },
] as const;

/** Tenants, largest first. */
export const TENANTS = ['acme', 'globex', 'initech', 'umbrella'] as const;

const SUBJECTS = [
  'How do I reset my password?', 'The invoice for March charged us twice.', 'Can we export reports as CSV?',
  'Login fails with error 502 since this morning.', 'Please add single sign-on with Okta.', 'What is the refund policy?',
  'Our dashboard loads slowly for large accounts.', 'How many seats does the team plan include?', 'The mobile app crashes on start.',
  'Is there an API rate limit?', 'We need an EU data residency option.', 'How do I invite a colleague?',
  'The search does not find archived tickets.', 'Can I change the billing currency?', 'Webhooks stopped firing yesterday.',
  'Where can I download the audit log?', 'Two-factor codes arrive late.', 'Does the product support dark mode?',
  'The PDF export cuts off the last page.', 'How do I cancel my subscription?', 'Is the data encrypted at rest?',
  'Can we get a discount for nonprofits?', 'The import wizard rejects UTF-8 files.', 'How long are backups kept?',
];

/** Mulberry32: a small, fast, seedable PRNG (the same workload on every run). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A sampler of ranks 0..n-1 with P(rank k) ∝ 1/(k+1)^s. */
export function zipf(n: number, s: number, random: () => number): () => number {
  const weights = Array.from({ length: n }, (_, k) => 1 / (k + 1) ** s);
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let sum = 0;
  for (const w of weights) cumulative.push((sum += w / total));
  return () => {
    const r = random();
    const index = cumulative.findIndex((c) => r < c);
    return index === -1 ? n - 1 : index;
  };
}

/** The whole prompt text the model sees for `item` (system prompt, then the user message). */
export function promptText(item: WorkItem): string {
  return `${SYSTEM_PROMPT}\n${item.prompt}`;
}

/**
 * `count` requests: operation, tenant and subject each drawn from a Zipf distribution (popular
 * questions come back often, per tenant); about one item in eight starts a burst of 3–6
 * identical requests sent at once (a retry storm, or many users opening the same page).
 */
export function generateWorkload(count: number, seed = 42): WorkItem[] {
  const random = prng(seed);
  const pickOperation = zipf(OPERATIONS.length, 1.1, random);
  const pickTenant = zipf(TENANTS.length, 1.2, random);
  const pickSubject = zipf(SUBJECTS.length, 1.4, random);
  const items: WorkItem[] = [];
  let bursts = 0;
  while (items.length < count) {
    const operation = OPERATIONS[pickOperation()] ?? OPERATIONS[0];
    const tenant = TENANTS[pickTenant()] ?? TENANTS[0];
    const subject = SUBJECTS[pickSubject()] ?? SUBJECTS[0] ?? '';
    const request = { tenant, operation: operation.name, modelId: operation.model, prompt: operation.template(subject) };
    if (random() < 0.125) {
      const size = Math.min(3 + Math.floor(random() * 4), count - items.length);
      const id = bursts++;
      for (let i = 0; i < size; i++) items.push({ ...request, burst: id });
    } else {
      items.push({ ...request, burst: null });
    }
  }
  return items;
}
