/**
 * The wire contract, for the server, the SDK (sdk/) and the web page (web/): zod schemas of
 * the create fields and the answers, the vocabularies (languages, formats, input types) and
 * pure helpers. Nothing here touches the server: it runs in Node and in browsers.
 */
export * from './create-request.js';
export * from './fields.js';
export * from './formats.js';
export * from './languages.js';
export * from './page-ranges.js';
export * from './query-body.js';
