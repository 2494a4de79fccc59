import type { PassengerInput } from './passenger.table';

// A dozen real passengers from the Titanic list, so a fresh `npm start` has
// something to show. Their uuids are fixed: the spec's examples, the README's
// curl lines and the contract test all refer to them (…01 is Braund, …0c is
// the one the contract test deletes).
// Typed as PassengerInput each, so a field added to the API fails to compile
// here until every demo passenger has it.
const inputs: [number, PassengerInput][] = [
  [
    1,
    {
      survived: false,
      passengerClass: 3,
      name: 'Mr. Owen Harris Braund',
      sex: 'male',
      age: 22,
      siblingsOrSpousesAboard: 1,
      parentsOrChildrenAboard: 0,
      fare: 7.25,
    },
  ],
  [
    2,
    {
      survived: true,
      passengerClass: 1,
      name: 'Mrs. John Bradley (Florence Briggs Thayer) Cumings',
      sex: 'female',
      age: 38,
      siblingsOrSpousesAboard: 1,
      parentsOrChildrenAboard: 0,
      fare: 71.2833,
    },
  ],
  [
    3,
    {
      survived: true,
      passengerClass: 3,
      name: 'Miss. Laina Heikkinen',
      sex: 'female',
      age: 26,
      siblingsOrSpousesAboard: 0,
      parentsOrChildrenAboard: 0,
      fare: 7.925,
    },
  ],
  [
    4,
    {
      survived: true,
      passengerClass: 1,
      name: 'Mrs. Jacques Heath (Lily May Peel) Futrelle',
      sex: 'female',
      age: 35,
      siblingsOrSpousesAboard: 1,
      parentsOrChildrenAboard: 0,
      fare: 53.1,
    },
  ],
  [
    5,
    {
      survived: false,
      passengerClass: 3,
      name: 'Mr. William Henry Allen',
      sex: 'male',
      age: 35,
      siblingsOrSpousesAboard: 0,
      parentsOrChildrenAboard: 0,
      fare: 8.05,
    },
  ],
  [
    6,
    { survived: false, passengerClass: 3, name: 'Mr. James Moran', sex: 'male', age: 27, siblingsOrSpousesAboard: 0, parentsOrChildrenAboard: 0, fare: 8.4583 },
  ],
  [
    7,
    {
      survived: false,
      passengerClass: 1,
      name: 'Mr. Timothy J McCarthy',
      sex: 'male',
      age: 54,
      siblingsOrSpousesAboard: 0,
      parentsOrChildrenAboard: 0,
      fare: 51.8625,
    },
  ],
  [
    8,
    {
      survived: false,
      passengerClass: 3,
      name: 'Master. Gosta Leonard Palsson',
      sex: 'male',
      age: 2,
      siblingsOrSpousesAboard: 3,
      parentsOrChildrenAboard: 1,
      fare: 21.075,
    },
  ],
  [
    9,
    {
      survived: true,
      passengerClass: 3,
      name: 'Mrs. Oscar W (Elisabeth Vilhelmina Berg) Johnson',
      sex: 'female',
      age: 27,
      siblingsOrSpousesAboard: 0,
      parentsOrChildrenAboard: 2,
      fare: 11.1333,
    },
  ],
  [
    10,
    {
      survived: true,
      passengerClass: 2,
      name: 'Mrs. Nicholas (Adele Achem) Nasser',
      sex: 'female',
      age: 14,
      siblingsOrSpousesAboard: 1,
      parentsOrChildrenAboard: 0,
      fare: 30.0708,
    },
  ],
  [
    11,
    {
      survived: true,
      passengerClass: 3,
      name: 'Miss. Marguerite Rut Sandstrom',
      sex: 'female',
      age: 4,
      siblingsOrSpousesAboard: 1,
      parentsOrChildrenAboard: 1,
      fare: 16.7,
    },
  ],
  [
    12,
    {
      survived: true,
      passengerClass: 1,
      name: 'Miss. Elizabeth Bonnell',
      sex: 'female',
      age: 58,
      siblingsOrSpousesAboard: 0,
      parentsOrChildrenAboard: 0,
      fare: 26.55,
    },
  ],
];

export const demoPassengers: { uuid: string; input: PassengerInput }[] = inputs.map(([n, input]) => ({
  uuid: `1b2c3d4e-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
  input,
}));
