/** Where a settlement job runs, and the event that runs one in a function invocation of its own (./settlements-job-runners.ts). */
export interface SettlementJobRunner {
  /** starts computing the job somewhere; resolves once started, not when done */
  start(jobId: string): Promise<void>;
}

export interface SettlementJobEvent {
  settlementJobId: string;
}

export function settlementJobEventFor(jobId: string): SettlementJobEvent {
  return { settlementJobId: jobId };
}

/** The job event in whatever the finance function was invoked with; null for anything else (an API Gateway request). */
export function settlementJobEventOf(event: unknown): SettlementJobEvent | null {
  const id = (event as { settlementJobId?: unknown } | null)?.settlementJobId;
  return typeof id === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(id) ? { settlementJobId: id } : null;
}
