/**
 * deps.launchEvaluation when deployed: starts an execution of the evaluation state machine named
 * after the run, with input `{ evaluationId }`. Starting a run whose execution is still running
 * starts nothing new (same name, same input). The client is imported lazily, so a bundle that
 * never launches leaves it out (infra/function-permissions.ts, LAZY_CLIENTS).
 */
export function stepFunctionsLauncher(stateMachineArn: () => string): (evaluationId: string) => Promise<void> {
  return async (evaluationId) => {
    const { SFNClient, StartExecutionCommand } = await import('@aws-sdk/client-sfn');
    await new SFNClient({}).send(
      new StartExecutionCommand({ stateMachineArn: stateMachineArn(), name: evaluationId, input: JSON.stringify({ evaluationId }) }),
    );
  };
}
