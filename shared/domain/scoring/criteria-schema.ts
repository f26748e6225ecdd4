/**
 * zod schema of the criteria document (shape only; `validateCriteria` adds the rules that span
 * fields: weights adding to 100, threshold order, bands, known metric codes).
 */
import * as z from 'zod';
import type { CriteriaSet } from './criteria.ts';
import { DECIMAL_PATTERN } from './ratio.ts';

const CODE_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
const codeSchema = z.string().regex(CODE_PATTERN, 'Use 1-64 lower-case letters, digits and hyphens');

export const decimalInputSchema = z.union([z.number(), z.string().regex(DECIMAL_PATTERN, 'Use a decimal number such as 60 or 62.5')]);

export const labelSchema = z.strictObject({ en: z.string().min(1).max(200), zh: z.string().min(1).max(200) });

export const valueSourceSchema = z.union(
  [
    z.strictObject({ metric: codeSchema }),
    z.strictObject({ ratio: z.strictObject({ numerator: codeSchema, denominator: codeSchema }) }),
    z.strictObject({ registry: z.enum(['contracts', 'insuredContracts', 'renewalRate', 'keyPopulationCoverage']) }),
    z.strictObject({ survey: z.enum(['topBoxShare', 'mean100']) }),
  ],
  { error: 'Use one of {metric}, {ratio: {numerator, denominator}}, {registry} or {survey}' },
);

export const bandSchema = z.strictObject({
  lower: decimalInputSchema,
  upper: decimalInputSchema.optional(),
  points: decimalInputSchema,
});

const bandsSchema = z.array(bandSchema).min(1).max(50);

export const scoringMethodSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('threshold-linear'),
    lower: decimalInputSchema,
    upper: decimalInputSchema,
    maxPoints: decimalInputSchema,
  }),
  z.strictObject({
    kind: z.literal('achievement-improvement'),
    threshold: decimalInputSchema.optional(),
    benchmark: decimalInputSchema.optional(),
    improvement: z.boolean().optional(),
  }),
  z.strictObject({ kind: z.literal('bands'), bands: bandsSchema }),
  z.strictObject({ kind: z.literal('relative-standing'), maxPoints: decimalInputSchema, bands: bandsSchema.optional() }),
  z.strictObject({ kind: z.literal('pass-fail'), target: decimalInputSchema, maxPoints: decimalInputSchema }),
]);

const minNSchema = z.number().int().min(0).max(1_000_000_000);

export const indicatorSchema = z.strictObject({
  code: codeSchema,
  label: labelSchema,
  domain: codeSchema.optional(),
  weight: decimalInputSchema,
  source: valueSourceSchema,
  higherIsBetter: z.boolean(),
  minN: minNSchema.optional(),
  method: scoringMethodSchema,
});

export const domainSchema = z.strictObject({
  id: codeSchema,
  label: labelSchema,
  weight: decimalInputSchema,
  minIndicators: z.number().int().min(1).max(100).optional(),
});

export const gateEffectSchema = z.union([z.literal('void'), z.strictObject({ capPercent: z.number().int().min(0).max(100) })], {
  error: 'Use "void" or {capPercent: 0–100}',
});

export const gateSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('floor'),
    label: labelSchema.optional(),
    source: valueSourceSchema,
    min: decimalInputSchema,
    minN: minNSchema.optional(),
    effect: gateEffectSchema,
  }),
  z.strictObject({ kind: z.literal('missing-upload'), label: labelSchema.optional(), effect: gateEffectSchema }),
]);

export const criteriaSetSchema = z.strictObject({
  insufficientData: z.enum(['redistribute', 'zero']),
  domains: z.array(domainSchema).min(1).max(20).optional(),
  indicators: z.array(indicatorSchema).min(1).max(200),
  gates: z.array(gateSchema).max(50).optional(),
}) satisfies z.ZodType<CriteriaSet>;
