// The HTTP stack: the client, undici, the download code and the dispatcher over Node's http module. It is
// built as its own bundle (dist/http.js, see esbuild.js) and loaded by clientProvider.ts on the first
// request, so activation never parses it. Nothing else may import this file at run time.
export { CometClient } from '../core/api/client';
export { NodeHttpDispatcher } from '../core/api/nodeHttpDispatcher';
