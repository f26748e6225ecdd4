/**
 * The person a request acts for, by name, for the records it writes. The sign-in check
 * (shared/http/api.ts) runs each signed-in request inside `actingAs` with the token's subject and
 * display name; the audit log (./audit-log.ts) stores that name with every entry the request
 * writes, so the log shows who acted as they were named then, without a lookup by id when read.
 * Work that runs later for the request (a settlement job) acts as the name stored with it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface ActingPerson {
  subject: string;
  /** the name the token gave (Cognito's `name`), else the subject */
  name: string;
}

const current = new AsyncLocalStorage<ActingPerson>();

export function actingAs<T>(person: ActingPerson, run: () => T): T {
  return current.run(person, run);
}

/** The display name of `subject` when it is the person the current request acts for. */
export function actingNameOf(subject: string): string | undefined {
  const person = current.getStore();
  return person?.subject === subject ? person.name : undefined;
}
