// Dredd hooks for `npm run contract`. Dredd sends each operation's examples;
// these hooks make it check the whole contract:
// - every documented non-2xx response is un-skipped, and its request changed so
//   that it earns that status (STATUS_RECIPES: one entry per status code);
// - every JSON body is validated against the spec's schema (Dredd alone only
//   compares it with the example);
// - every response header the spec marks `required` is present, and a 201's
//   Location names the created resource.
// Everything is derived from the dereferenced spec in CONTRACT_SPEC, so a new
// operation needs no hook unless it documents a status code with no recipe.
const { readFileSync } = require('node:fs');
const hooks = require('hooks');

const spec = JSON.parse(readFileSync(process.env.CONTRACT_SPEC, 'utf8'));
const MISSING_UUID = '00000000-0000-4000-8000-000000000000';
const JSON_MEDIA_TYPE = /^application\/(.+\+)?json$/;

function operationOf(transaction) {
  const pathItem = spec.paths[transaction.origin.resourceName];
  const operation = pathItem && pathItem[transaction.request.method.toLowerCase()];
  if (!operation) throw new Error(`no operation in the spec for ${transaction.name}`);
  return { ...operation, parameters: [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])] };
}

function setParameter(transaction, parameter, value) {
  const url = new URL(transaction.fullPath, 'http://placeholder');
  if (parameter.in === 'path') {
    url.pathname = url.pathname.replace(encodeURIComponent(String(parameter.example)), encodeURIComponent(value));
  } else {
    url.searchParams.set(parameter.name, value);
  }
  transaction.fullPath = url.pathname + url.search;
}

// The operation's own media type unless told otherwise (PATCH sends
// application/merge-patch+json, and anything else would earn a 415).
function setBody(transaction, body, contentType = transaction.request.headers['Content-Type']) {
  transaction.request.body = body;
  transaction.request.headers['Content-Type'] = contentType;
  transaction.request.headers['Content-Length'] = String(Buffer.byteLength(body));
}

// How to earn each documented error status from the example request.
const STATUS_RECIPES = {
  // A typed parameter (not a free string) gets a value of no type; failing
  // that, the body gets a property the schema does not allow.
  400: (transaction, operation) => {
    const typed = operation.parameters.find((p) => ['path', 'query'].includes(p.in) && (p.schema.type !== 'string' || p.schema.format || p.schema.enum));
    if (typed) return setParameter(transaction, typed, 'not-valid');
    if (!operation.requestBody) throw new Error('400 documented, but the operation takes no input to break');
    setBody(transaction, JSON.stringify({ ...JSON.parse(transaction.request.body), unexpected: true }));
  },
  404: (transaction, operation) => {
    const id = operation.parameters.find((p) => p.in === 'path' && p.schema.format === 'uuid');
    if (!id) throw new Error('404 documented, but the operation has no uuid in its path');
    setParameter(transaction, id, MISSING_UUID);
  },
  // Above the service's default 100kb body limit.
  413: (transaction) => setBody(transaction, JSON.stringify({ name: 'x'.repeat(200 * 1024) })),
  415: (transaction) => setBody(transaction, 'survived=true', 'text/plain'),
  // Sent, without a key, to an instance of the service that has API_KEYS.
  401: (transaction) => sendTo(transaction, process.env.CONTRACT_KEYS_REQUIRED_URL),
  // A stale If-Match on a passenger the fixtures hold (the GET example, which
  // no transaction deletes), so the answer is 412 rather than 404.
  412: (transaction, operation) => {
    const id = operation.parameters.find((p) => p.in === 'path' && p.schema.format === 'uuid');
    setParameter(transaction, id, spec.paths['/getpassenger/{uuid}'].get.parameters[0].example);
    transaction.request.headers['If-Match'] = '"999999"';
  },
  // Sent to a second instance of the service whose database is unreachable.
  503: (transaction) => sendTo(transaction, process.env.CONTRACT_DATABASE_DOWN_URL),
  // Sent to an instance whose database has no passenger table: the query fails
  // in a way no mapping expects, as a bug would make it.
  500: (transaction) => sendTo(transaction, process.env.CONTRACT_NO_SCHEMA_URL),
  // The ETag the resource has right now, sent back as If-None-Match.
  304: async (transaction) => {
    const response = await fetch(`http://${transaction.host}:${transaction.port}${transaction.fullPath}`);
    const etag = response.headers.get('etag');
    if (!etag) throw new Error(`${transaction.name}: the 200 answer has no ETag to send back`);
    transaction.request.headers['If-None-Match'] = etag;
  },
};

const touchesPassengers = (operation) => (operation.tags ?? []).includes('passengers');
const takesInput = (operation) => operation.parameters.length > 0 || Boolean(operation.requestBody);

// The documented statuses no request Dredd can send will earn, each with the
// reason and what proves the answer instead. Printed, never silently skipped.
function unearnable(status, operation) {
  if (status === '500' && !touchesPassengers(operation)) {
    return 'no request makes this operation fail (it reads no table); test/unit/response-contract.test.ts checks a 500 against the contract';
  }
  if (status === '400' && !takesInput(operation)) {
    return 'only a malformed request earns it (two Host headers), and Dredd sends one header of each name';
  }
  return undefined;
}

function sendTo(transaction, baseUrl) {
  const target = new URL(baseUrl);
  transaction.host = target.hostname;
  transaction.port = Number(target.port);
}

// OpenAPI 3.0 schema → JSON Schema draft-07 for Dredd's validator (Gavel).
function toJsonSchema(schema) {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const { nullable, example: _example, ...rest } = schema;
  const converted = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, toJsonSchema(value)]));
  if (nullable && converted.type) converted.type = [converted.type, 'null'];
  return converted;
}

function documentedResponse(transaction) {
  return operationOf(transaction).responses[transaction.expected.statusCode];
}

// Recipes may be async (304 reads the current ETag first): with a second
// parameter, Dredd waits for done.
hooks.beforeEach((transaction, done) => {
  const status = transaction.expected.statusCode;
  const mediaType = transaction.expected.headers['Content-Type'];
  const content = documentedResponse(transaction).content?.[mediaType];
  if (content && JSON_MEDIA_TYPE.test(mediaType)) {
    transaction.expected.bodySchema = { $schema: 'http://json-schema.org/draft-07/schema#', ...toJsonSchema(content.schema) };
  }
  if (status.startsWith('2')) {
    // Dredd sends the parameter's example tag, which would turn the 200 into a
    // 304; the 304 transaction sends the live tag instead.
    delete transaction.request.headers['If-None-Match'];
    return done();
  }
  const reason = unearnable(status, operationOf(transaction));
  if (reason) {
    console.log(`skipped ${transaction.name}: ${reason}`);
    transaction.skip = true;
    return done();
  }
  const recipe = STATUS_RECIPES[status];
  if (!recipe) {
    transaction.fail = `no recipe for status ${status} in test/contract/dredd-hooks.cjs STATUS_RECIPES`;
    return done();
  }
  Promise.resolve()
    .then(() => recipe(transaction, operationOf(transaction)))
    .then(
      () => {
        transaction.skip = false;
        done();
      },
      (err) => {
        transaction.fail = `${transaction.name}: ${err.message}`;
        done();
      },
    );
});

// Koa adds "; charset=utf-8"; the spec names the bare media type.
hooks.beforeEachValidation((transaction) => {
  const contentType = transaction.real.headers['content-type'];
  if (contentType) transaction.real.headers['content-type'] = contentType.replace(/;\s*charset=utf-8$/i, '');
});

hooks.afterEach((transaction) => {
  if (transaction.skip || !transaction.real) return;
  const headers = documentedResponse(transaction).headers ?? {};
  for (const [name, header] of Object.entries(headers)) {
    if (header.required && transaction.real.headers[name.toLowerCase()] === undefined) {
      throw new Error(`${transaction.name}: required header ${name} is missing`);
    }
  }
  if (transaction.real.statusCode === 201) {
    const { uuid } = JSON.parse(transaction.real.body);
    const location = transaction.real.headers.location;
    if (location !== `/getpassenger/${uuid}`) {
      throw new Error(`${transaction.name}: Location is ${location}, expected /getpassenger/${uuid}`);
    }
  }
});
