/** Starts one in-memory DynamoDB Local for the integration project; each test file makes its own table. */
import type { TestProject } from 'vitest/node';
import { JAVA_MISSING, javaAvailable, startDynamoDbLocal } from '../../local/dynamodb-local.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoDbEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  if (!javaAvailable()) throw new Error(JAVA_MISSING);
  const local = await startDynamoDbLocal();
  project.provide('dynamoDbEndpoint', local.endpoint);
  return () => local.stop();
}
