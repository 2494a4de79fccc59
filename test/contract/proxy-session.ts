import { createPassengerApiClient, nextPageUrl } from '@passenger-api/client';
import { demoPassengers } from '../../src/passengers/demo-passengers';
import { MISSING_UUID, postTestPassenger } from '../support/fixtures';

interface Step {
  name: string;
  expectedStatus: number;
  call: () => Promise<Response>;
}

// A client's session through the proxy: every operation, list pagination and
// each class of error; then one read through the proxy in front of a service
// whose database is unreachable (503). Returns the failures (empty when all
// went as documented).
export async function runProxySession(baseUrl: string, databaseDownUrl: string): Promise<string[]> {
  const client = createPassengerApiClient(baseUrl);
  const raw = (path: string, init: RequestInit) => fetch(`${baseUrl}${path}`, init);
  const json = { 'Content-Type': 'application/json' };
  const mergePatch = { 'Content-Type': 'application/merge-patch+json' };
  let created = '';
  let listed = 0;
  const failures: string[] = [];

  const steps: Step[] = [
    { name: 'hello', expectedStatus: 200, call: async () => (await client.GET('/hello')).response },
    {
      name: 'create a passenger',
      expectedStatus: 201,
      call: async () => {
        const { data, response } = await client.POST('/postpassenger', { body: postTestPassenger });
        created = data?.uuid ?? MISSING_UUID;
        return response;
      },
    },
    { name: 'read it', expectedStatus: 200, call: async () => (await client.GET('/getpassenger/{uuid}', { params: { path: { uuid: created } } })).response },
    {
      name: 'list every page, 5 at a time',
      expectedStatus: 200,
      call: async () => {
        let after: string | undefined;
        let response: Response;
        do {
          const page = await client.GET('/passengerlist', { params: { query: { limit: 5, after } } });
          response = page.response;
          listed += page.data?.length ?? 0;
          after = response.ok ? (nextPageUrl(response)?.searchParams.get('after') ?? undefined) : undefined;
        } while (after);
        return response;
      },
    },
    {
      name: 'list with filters',
      expectedStatus: 200,
      call: async () => (await client.GET('/passengerlist', { params: { query: { passengerClass: 1, sex: 'female', survived: true } } })).response,
    },
    {
      name: 'replace it',
      expectedStatus: 200,
      call: async () => (await client.PUT('/putpassenger/{uuid}', { params: { path: { uuid: created } }, body: { ...postTestPassenger, age: null } })).response,
    },
    {
      name: 'patch it (merge patch, If-Match)',
      expectedStatus: 200,
      call: async () => {
        const read = await client.GET('/getpassenger/{uuid}', { params: { path: { uuid: created } } });
        const etag = read.response.headers.get('etag') ?? '"0"';
        return (
          await client.PATCH('/patchpassenger/{uuid}', {
            params: { path: { uuid: created }, header: { 'If-Match': etag } },
            body: { age: 30, name: 'Patched' },
          })
        ).response;
      },
    },
    {
      name: 'read it again with its ETag: 304',
      expectedStatus: 304,
      call: async () => {
        const read = await client.GET('/getpassenger/{uuid}', { params: { path: { uuid: created } } });
        const etag = read.response.headers.get('etag') ?? '"0"';
        return (await client.GET('/getpassenger/{uuid}', { params: { path: { uuid: created }, header: { 'If-None-Match': etag } } })).response;
      },
    },
    {
      name: 'list again with the page ETag: 304',
      expectedStatus: 304,
      call: async () => {
        const page = await client.GET('/passengerlist', { params: { query: { limit: 5 } } });
        const etag = page.response.headers.get('etag') ?? 'W/"none"';
        return (await client.GET('/passengerlist', { params: { query: { limit: 5 }, header: { 'If-None-Match': etag } } })).response;
      },
    },
    {
      name: 'patch a non-nullable field to null',
      expectedStatus: 400,
      call: () => raw(`/patchpassenger/${created}`, { method: 'PATCH', headers: mergePatch, body: '{"name":null}' }),
    },
    {
      name: 'patch with application/json',
      expectedStatus: 415,
      call: () => raw(`/patchpassenger/${created}`, { method: 'PATCH', headers: json, body: '{"name":"x"}' }),
    },
    {
      name: 'patch with a stale If-Match',
      expectedStatus: 412,
      call: () => raw(`/patchpassenger/${created}`, { method: 'PATCH', headers: { ...mergePatch, 'If-Match': '"999999"' }, body: '{"name":"x"}' }),
    },
    {
      name: 'delete it',
      expectedStatus: 204,
      call: async () => (await client.DELETE('/deletepassenger/{uuid}', { params: { path: { uuid: created } } })).response,
    },
    {
      name: 'read the deleted one',
      expectedStatus: 404,
      call: async () => (await client.GET('/getpassenger/{uuid}', { params: { path: { uuid: created } } })).response,
    },
    {
      name: 'patch a missing one',
      expectedStatus: 404,
      call: async () => (await client.PATCH('/patchpassenger/{uuid}', { params: { path: { uuid: MISSING_UUID } }, body: { fare: 1 } })).response,
    },
    {
      name: 'replace a missing one',
      expectedStatus: 404,
      call: async () => (await client.PUT('/putpassenger/{uuid}', { params: { path: { uuid: MISSING_UUID } }, body: postTestPassenger })).response,
    },
    {
      name: 'delete a missing one',
      expectedStatus: 404,
      call: async () => (await client.DELETE('/deletepassenger/{uuid}', { params: { path: { uuid: MISSING_UUID } } })).response,
    },
    { name: 'read with a bad uuid', expectedStatus: 400, call: () => raw('/getpassenger/not-a-uuid', {}) },
    { name: 'list with limit=0', expectedStatus: 400, call: () => raw('/passengerlist?limit=0', {}) },
    {
      name: 'create with a bad field',
      expectedStatus: 400,
      call: () => raw('/postpassenger', { method: 'POST', headers: json, body: JSON.stringify({ ...postTestPassenger, passengerClass: 4 }) }),
    },
    { name: 'create with malformed JSON', expectedStatus: 400, call: () => raw('/postpassenger', { method: 'POST', headers: json, body: '{"survived":' }) },
    {
      name: 'create with a body over the limit',
      expectedStatus: 413,
      call: () => raw('/postpassenger', { method: 'POST', headers: json, body: JSON.stringify({ name: 'x'.repeat(200 * 1024) }) }),
    },
    {
      name: 'replace with text/plain',
      expectedStatus: 415,
      call: () => raw(`/putpassenger/${demoPassengers[0].uuid}`, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: 'x' }),
    },
    {
      name: 'replace with a stale If-Match',
      expectedStatus: 412,
      call: () =>
        raw(`/putpassenger/${demoPassengers[0].uuid}`, {
          method: 'PUT',
          headers: { ...json, 'If-Match': '"999999"' },
          body: JSON.stringify(postTestPassenger),
        }),
    },
    {
      name: 'delete with a stale If-Match',
      expectedStatus: 412,
      call: () => raw(`/deletepassenger/${demoPassengers[0].uuid}`, { method: 'DELETE', headers: { 'If-Match': '"999999"' } }),
    },
    { name: 'healthz', expectedStatus: 200, call: async () => (await client.GET('/healthz')).response },
    { name: 'readyz', expectedStatus: 200, call: async () => (await client.GET('/readyz')).response },
    { name: 'openapi.json', expectedStatus: 200, call: async () => (await client.GET('/openapi.json')).response },
    {
      name: 'read while the database is unreachable',
      expectedStatus: 503,
      call: async () => {
        const response = await fetch(`${databaseDownUrl}/getpassenger/${demoPassengers[0].uuid}`);
        if (!/^\d+$/.test(response.headers.get('retry-after') ?? '')) failures.push('the 503 has no Retry-After in seconds');
        return response;
      },
    },
  ];

  for (const step of steps) {
    const response = await step.call();
    // Prism marks a response that breaks the spec; with --errors it also
    // replaces it with its own error, which the status check catches.
    const violations = response.headers.get('sl-violations');
    const ok = response.status === step.expectedStatus && !violations;
    console.log(
      `${ok ? 'ok  ' : 'FAIL'} ${step.name}: ${response.status} (expected ${step.expectedStatus})${violations ? ` sl-violations: ${violations}` : ''}`,
    );
    if (!ok) failures.push(`${step.name}: got ${response.status}${violations ? `, violations ${violations}` : ''}`);
  }
  // 12 demo passengers plus the one created at that point.
  if (listed !== demoPassengers.length + 1) failures.push(`pagination listed ${listed} passengers, expected ${demoPassengers.length + 1}`);
  return failures;
}
