import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { compareSpecs, describeChange } from '../../scripts/spec-diff';
import { SPEC_PATH } from '../../src/spec';

// The breaking-change gate's judgement (npm run contract:diff) on edits of
// the real contract: each edit is made on a copy of openapi/openapi.yaml.
// A parsed document edited freely at known paths: no generated type describes
// the OpenAPI document itself, and openapi-types' document would need a $ref
// narrowing at every edit, hiding what each edit does. So `any` here, on purpose.
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return -- see above */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
type Spec = Record<string, any>;
const base: Spec = parse(readFileSync(SPEC_PATH, 'utf8'));

function edited(edit: (spec: Spec) => void): Spec {
  const spec = structuredClone(base);
  edit(spec);
  return spec;
}

const listParameter = (spec: Spec, name: string) => spec.paths['/passengerlist'].get.parameters.find((p: Spec) => p.name === name);
const removeFare = (spec: Spec) => {
  delete spec.components.schemas.Passenger.properties.fare;
  spec.components.schemas.Passenger.required = spec.components.schemas.Passenger.required.filter((name: string) => name !== 'fare');
};
const breakingLines = (spec: Spec) => compareSpecs(base, spec).breaking.map(describeChange);

describe('contract:diff refuses a breaking change', () => {
  it('removing a response property', () => {
    const verdict = compareSpecs(base, edited(removeFare));
    expect(verdict.passes).toBe(false);
    expect(verdict.breaking.map(describeChange)).toContainEqual(
      expect.stringMatching(/^breaking +remove +paths \/getpassenger\/\{uuid\} get responses 200 .*properties fare/),
    );
  });

  it('removing an enum value', () => {
    const verdict = compareSpecs(
      base,
      edited((spec) => (spec.components.schemas.Sex.enum = ['male'])),
    );
    expect(verdict.passes).toBe(false);
    expect(verdict.breaking.map(describeChange)).toContainEqual(expect.stringMatching(/paths \/postpassenger post requestBody .*sex enum 1 \(was "female"\)/));
  });

  it('making an optional parameter required', () => {
    expect(breakingLines(edited((spec) => (listParameter(spec, 'limit').required = true)))).toEqual([
      expect.stringMatching(/^breaking +add +paths \/passengerlist get parameters \d+ required \(now true\): .*query parameter `limit`/),
    ]);
  });

  it('removing an operation', () => {
    expect(breakingLines(edited((spec) => delete spec.paths['/deletepassenger/{uuid}']))).toEqual([
      expect.stringMatching(/^breaking +remove +paths \/deletepassenger\/\{uuid\} delete: \[Removed\] operation DELETE/),
    ]);
  });

  it('removing the Location header of a 201', () => {
    const verdict = compareSpecs(
      base,
      edited((spec) => delete spec.paths['/postpassenger'].post.responses['201'].headers.Location),
    );
    expect(verdict.breaking.map((diff) => diff.path.join(' '))).toEqual(['paths /postpassenger post responses 201 headers Location']);
  });
});

describe('contract:diff lets a compatible change pass', () => {
  it('adding an optional query parameter', () => {
    const verdict = compareSpecs(
      base,
      edited((spec) => spec.paths['/passengerlist'].get.parameters.push({ name: 'q', in: 'query', schema: { type: 'string' } })),
    );
    expect(verdict).toMatchObject({ passes: true, breaking: [] });
    expect(verdict.changes.map(describeChange)).toEqual([
      expect.stringMatching(/^non-breaking add +paths \/passengerlist get parameters \d+: \[Added\] query parameter `q`/),
    ]);
  });

  it('but not a required one', () => {
    expect(
      compareSpecs(
        base,
        edited((spec) => spec.paths['/passengerlist'].get.parameters.push({ name: 'q', in: 'query', required: true, schema: { type: 'string' } })),
      ).passes,
    ).toBe(false);
  });

  it('a response header becoming required: a new promise, not a new demand', () => {
    const required = compareSpecs(
      base,
      edited((spec) => (spec.paths['/passengerlist'].get.responses['200'].headers.Link.required = true)),
    );
    expect(required).toMatchObject({ passes: true, breaking: [] });
    expect(required.changes.map((diff) => diff.path.join(' '))).toEqual(['paths /passengerlist get responses 200 headers Link required']);
    const optional = compareSpecs(
      edited((spec) => (spec.paths['/passengerlist'].get.responses['200'].headers.Link.required = true)),
      base,
    );
    expect(optional.passes).toBe(false);
  });

  it('a breaking change with a major version bump', () => {
    const nextMajor = `${Number(base.info.version.split('.')[0]) + 1}.0.0`;
    const verdict = compareSpecs(
      base,
      edited((spec) => {
        removeFare(spec);
        spec.info.version = nextMajor;
      }),
    );
    expect(verdict).toMatchObject({ passes: true, majorBumped: true, baseVersion: base.info.version, headVersion: nextMajor });
    expect(verdict.breaking.length).toBeGreaterThan(0);
  });

  it('but a minor bump does not announce one', () => {
    const verdict = compareSpecs(
      base,
      edited((spec) => {
        removeFare(spec);
        spec.info.version = '1.1.0';
      }),
    );
    expect(verdict).toMatchObject({ passes: false, majorBumped: false });
  });
});

it('names the document whose info.version is not MAJOR.MINOR.PATCH', () => {
  expect(() =>
    compareSpecs(
      base,
      edited((spec) => (spec.info.version = 'v2')),
      { base: 'at HEAD~1', head: 'openapi/openapi.yaml' },
    ),
  ).toThrow('openapi/openapi.yaml: info.version must be MAJOR.MINOR.PATCH, got "v2"');
});
