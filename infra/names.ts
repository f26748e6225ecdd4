/** `registry` → `Registry`, `family-doctor` → `FamilyDoctor`: construct ids from function and role names. */
export function pascal(name: string): string {
  return name.replace(/(^|[-_])([a-z0-9])/g, (_m, _sep, c: string) => c.toUpperCase());
}
