/**
 * zod with @hono/zod-openapi's `.openapi()` added to every schema, for the schemas that describe
 * the API. Import it as a namespace, `import * as z from '#shared/schemas/zod.ts'` (and plain
 * zod the same way): esbuild can then leave out the parts of zod a function never uses, which
 * `import { z }`, a re-exported namespace, would keep (about 90 KB a bundle).
 */
import '@hono/zod-openapi';

export * from 'zod';
