/** Where a report job runs: in this process, or in an invocation of its own (./runner-lambda.ts). */
export interface ReportJobRunner {
  /** starts producing the job's report somewhere; resolves once started, not when done */
  start(jobId: string): Promise<void>;
}

/**
 * The event that runs a report job in a function invocation of its own: what the deployed runner
 * (./runner-lambda.ts) sends and what the reports function's entry recognises (./jobs.ts).
 */
export interface ReportJobEvent {
  reportJobId: string;
}

export function reportJobEventFor(jobId: string): ReportJobEvent {
  return { reportJobId: jobId };
}

/** The job event in whatever the function was invoked with; null for anything else (an API Gateway request). */
export function reportJobEventOf(event: unknown): ReportJobEvent | null {
  const id = (event as { reportJobId?: unknown } | null)?.reportJobId;
  return typeof id === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(id) ? { reportJobId: id } : null;
}
