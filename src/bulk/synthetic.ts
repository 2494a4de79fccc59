import type { BulkRow } from './bulk-load';

// mulberry32: a tiny, fast, well-mixed 32-bit PRNG. Seeded, so the same
// --seed always yields the same passengers (and uuids), run after run.
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MALE_NAMES = [
  'John',
  'William',
  'James',
  'George',
  'Charles',
  'Thomas',
  'Henry',
  'Edward',
  'Arthur',
  'Frederick',
  'Owen',
  'Patrick',
  'Karl',
  'Johan',
  'Ernst',
];
const FEMALE_NAMES = [
  'Mary',
  'Anna',
  'Elizabeth',
  'Margaret',
  'Alice',
  'Ellen',
  'Bridget',
  'Helen',
  'Florence',
  'Edith',
  'Marguerite',
  'Laina',
  'Elin',
  'Kate',
  'Ida',
];
const SURNAMES = [
  'Smith',
  'Johnson',
  'Andersson',
  'Sage',
  'Goodwin',
  'Brown',
  'Carter',
  'Kelly',
  'Williams',
  'Davies',
  'Palsson',
  'Skoog',
  'Rice',
  'Harris',
  'Moran',
  'Baxter',
  'Allison',
  'Fortune',
  'Hickman',
  'Nasser',
];
// Survival rates and fares of the real list, by sex and class.
const SURVIVAL = { female: [0.97, 0.92, 0.5], male: [0.37, 0.16, 0.14] } as const;
const FARE_RANGE = [
  [25, 260],
  [10, 40],
  [6, 25],
] as const;

function hex8(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

// Version 4, RFC 4122 variant, from the seeded generator rather than the OS.
function uuidFrom(random: () => number): string {
  const a = hex8(random() * 2 ** 32);
  const b = hex8(random() * 2 ** 32);
  const c = hex8(random() * 2 ** 32);
  const d = hex8(random() * 2 ** 32);
  const variant = ((parseInt(c[0], 16) & 0x3) | 0x8).toString(16);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

export function* syntheticPassengers(rows: number, seed: number): Generator<BulkRow> {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  for (let i = 0; i < rows; i++) {
    const uuid = uuidFrom(random);
    const sex = random() < 0.35 ? 'female' : 'male';
    const roll = random();
    const passengerClass = roll < 0.24 ? 1 : roll < 0.45 ? 2 : 3;
    const age = random() < 0.2 ? null : Math.round(Math.min(80, Math.max(0.42, 29 + (random() + random() + random() - 1.5) * 28)) * 2) / 2;
    const child = age !== null && age < 14;
    const title = sex === 'male' ? (child ? 'Master.' : 'Mr.') : child || random() < 0.4 ? 'Miss.' : 'Mrs.';
    const [low, high] = FARE_RANGE[passengerClass - 1];
    yield {
      uuid,
      input: {
        survived: random() < SURVIVAL[sex][passengerClass - 1],
        passengerClass,
        name: `${title} ${pick(sex === 'male' ? MALE_NAMES : FEMALE_NAMES)} ${pick(SURNAMES)}`,
        sex,
        age,
        siblingsOrSpousesAboard: random() < 0.7 ? 0 : Math.floor(random() * 5),
        parentsOrChildrenAboard: random() < 0.75 ? 0 : Math.floor(random() * 4),
        fare: Math.round((low + random() * (high - low)) * 10000) / 10000,
      },
    };
  }
}
