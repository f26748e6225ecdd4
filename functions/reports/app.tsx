/**
 * Reports function (finance officers; administrators read): settlement reports as XLSX and CSV,
 * streamed directly when small, written by a background job (S3 when deployed) when large.
 * A function of its own because exceljs and the S3 client would triple the finance bundle and
 * report jobs may run long. Routes: see ./routes.tsx, ./payment-file-routes.ts (payment files) and
 * ./appeal-attachment-routes.ts (the files clerks attach to appeals, in the same storage).
 */
import type { Deps } from '#shared/deps.ts';
import { createApiApp } from '#shared/http/api.ts';
import type { ReportOptions } from '#shared/services/reports/index.ts';
import { pageAccess } from '#shared/web/page-access.tsx';
import { registerPaymentFileRoutes } from './payment-file-routes.ts';
import { registerReportRoutes } from './routes.tsx';
import { registerAppealAttachmentRoutes } from './appeal-attachment-routes.ts';
import { attachmentStorageFromEnv } from '#shared/services/appeal-attachments.ts';
import type { ReportStorage } from '#shared/services/reports/storage.ts';

/** `options` default to the environment (reportOptionsFromEnv). */
export function createReportsApp(deps: Deps, options?: ReportOptions, attachments: ReportStorage = attachmentStorageFromEnv()) {
  const app = createApiApp();
  registerReportRoutes(app, deps, pageAccess, options);
  registerPaymentFileRoutes(app, deps, pageAccess);
  registerAppealAttachmentRoutes(app, deps, pageAccess, attachments);
  return app;
}
