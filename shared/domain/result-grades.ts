/**
 * Display grades of a team's total on published results (the public results page): A from 90,
 * B from 80, C from 70, D from 60, E below. For reading only; money never depends on them.
 * Survey response counts below the district minimum are shown as "fewer than N", as the survey
 * results suppress them.
 */
export type ResultGrade = 'A' | 'B' | 'C' | 'D' | 'E';

const BOUNDS: readonly [number, ResultGrade][] = [
  [90, 'A'],
  [80, 'B'],
  [70, 'C'],
  [60, 'D'],
];

export function gradeOf(total: string | null): ResultGrade | null {
  if (total === null) return null;
  const value = Number(total);
  for (const [bound, grade] of BOUNDS) if (value >= bound) return grade;
  return 'E';
}

/** A response count as published: exact from the minimum on, otherwise only "fewer than the minimum". */
export function publishedResponses(count: number, minimum: number): { count: number } | { fewerThan: number } {
  return count >= minimum ? { count } : { fewerThan: minimum };
}
