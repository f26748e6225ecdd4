/**
 * Runs an Amazon States Language definition the way Step Functions runs the evaluation state
 * machine (infra/evaluation-state-machine.ts), for the subset it uses: Task states invoking a
 * Lambda (arn:…:states:::lambda:invoke, Parameters.Payload built with `.$` JSONPaths, the
 * response wrapped as `{ Payload, StatusCode }`), ResultSelector, ResultPath (null keeps the
 * input, `$` replaces it), and Map states (ItemsPath, an ItemProcessor run per item, in order).
 * Anything else in the definition, or a JSONPath that selects nothing, throws: a definition the
 * runner's shapes do not fit fails here instead of in AWS.
 */

type Json = unknown;
interface State {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, Json>;
  ResultSelector?: Record<string, Json>;
  ResultPath?: string | null;
  InputPath?: string;
  OutputPath?: string;
  ItemsPath?: string;
  ItemSelector?: Record<string, Json>;
  ItemProcessor?: { StartAt: string; States: Record<string, State> };
  Next?: string;
  End?: boolean;
}
export interface Definition {
  StartAt: string;
  States: Record<string, State>;
}

/** `$`, `$.a.b`: what the definition uses; a missing field throws. */
export function jsonPath(document: Json, path: string): Json {
  if (path === '$') return document;
  if (!path.startsWith('$.')) throw new Error(`Unsupported JSONPath ${path}`);
  let value = document;
  for (const key of path.slice(2).split('.')) {
    if (typeof value !== 'object' || value === null || !(key in value))
      throw new Error(`JSONPath ${path} selects nothing in ${JSON.stringify(document).slice(0, 300)}`);
    value = (value as Record<string, Json>)[key];
  }
  return value;
}

/** Parameters / ResultSelector / ItemSelector: keys ending in `.$` take a JSONPath of the input. */
export function applyTemplate(template: Json, input: Json): Json {
  if (Array.isArray(template)) return template.map((t) => applyTemplate(t, input));
  if (typeof template !== 'object' || template === null) return template;
  return Object.fromEntries(
    Object.entries(template).map(([key, value]) =>
      key.endsWith('.$') ? [key.slice(0, -2), jsonPath(input, value as string)] : [key, applyTemplate(value, input)],
    ),
  );
}

export interface TaskCall {
  state: string;
  payload: Json;
}

export async function runDefinition(
  definition: Definition,
  input: Json,
  invoke: (functionName: string, payload: Json) => Promise<Json>,
  calls: TaskCall[] = [],
): Promise<Json> {
  let name: string | undefined = definition.StartAt;
  let document = input;
  while (name !== undefined) {
    const state: State | undefined = definition.States[name];
    if (!state) throw new Error(`No state ${name}`);
    const effectiveInput = state.InputPath ? jsonPath(document, state.InputPath) : document;
    let result: Json;
    if (state.Type === 'Task') {
      if (!/^arn:[^:]+:states:::lambda:invoke$/.test(state.Resource ?? '')) throw new Error(`${name}: unsupported resource ${state.Resource}`);
      const parameters = applyTemplate(state.Parameters, effectiveInput) as { FunctionName: string; Payload: Json };
      calls.push({ state: name, payload: parameters.Payload });
      result = { Payload: await invoke(parameters.FunctionName, parameters.Payload), StatusCode: 200 };
    } else if (state.Type === 'Map') {
      const items = jsonPath(effectiveInput, state.ItemsPath ?? '$');
      if (!Array.isArray(items)) throw new Error(`${name}: ItemsPath ${state.ItemsPath} is not an array`);
      if (!state.ItemProcessor) throw new Error(`${name}: no ItemProcessor`);
      result = [];
      for (const item of items) {
        const itemInput = state.ItemSelector ? applyTemplate(state.ItemSelector, item) : item;
        (result as Json[]).push(await runDefinition(state.ItemProcessor, itemInput, invoke, calls));
      }
    } else {
      throw new Error(`${name}: unsupported state type ${state.Type}`);
    }
    if (state.ResultSelector) result = applyTemplate(state.ResultSelector, result);
    if (state.ResultPath === null) document = effectiveInput;
    else if (state.ResultPath === undefined || state.ResultPath === '$') document = result;
    else throw new Error(`${name}: unsupported ResultPath ${state.ResultPath}`);
    if (state.OutputPath) document = jsonPath(document, state.OutputPath);
    name = state.End ? undefined : state.Next;
  }
  return document;
}

/** The definition as the template holds it: Fn::Join of strings and references, each reference given a placeholder. */
export function definitionOf(definitionString: Json, placeholder: (reference: Json) => string): Definition {
  if (typeof definitionString === 'string') return JSON.parse(definitionString) as Definition;
  const [separator, parts] = (definitionString as { 'Fn::Join': [string, Json[]] })['Fn::Join'];
  return JSON.parse(parts.map((part) => (typeof part === 'string' ? part : placeholder(part))).join(separator)) as Definition;
}
