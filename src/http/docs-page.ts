// The /docs page: Swagger UI from the swagger-ui-dist package, served by this
// service under /docs/assets/ (see ops.router.ts), so it works offline and
// loads nothing from another origin.

export const DOCS_ASSETS_PATH = '/docs/assets';

// Nothing inline and nothing from elsewhere: scripts, styles and fetches come
// from this origin only. Swagger UI's icons are data: URIs inside its CSS.
export const DOCS_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
});

export const DOCS_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>passenger-api: API reference</title>
    <link rel="stylesheet" href="${DOCS_ASSETS_PATH}/swagger-ui.css">
    <link rel="icon" type="image/png" href="${DOCS_ASSETS_PATH}/favicon-32x32.png">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${DOCS_ASSETS_PATH}/swagger-ui-bundle.js"></script>
    <script src="${DOCS_ASSETS_PATH}/docs-init.js"></script>
  </body>
</html>
`;

// A separate script file rather than an inline one, so the CSP needs no
// 'unsafe-inline'. "Try it out" calls the server that serves this page:
// /openapi.json names it in servers[0] (connect-src 'self' allows no other).
export const DOCS_INIT_SCRIPT = `'use strict';
fetch('/openapi.json')
  .then(function (response) {
    if (!response.ok) throw new Error('GET /openapi.json answered ' + response.status);
    return response.json();
  })
  .then(function (spec) {
    window.ui = SwaggerUIBundle({
      spec: spec,
      dom_id: '#swagger-ui',
      deepLinking: true,
      // The default validator badge would call validator.swagger.io.
      validatorUrl: null,
    });
  })
  .catch(function (error) {
    document.getElementById('swagger-ui').textContent = 'Could not load the API description: ' + error.message;
    console.error(error);
  });
`;
