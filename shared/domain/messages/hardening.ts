/** Problem texts of the hardening rules (#16): upload limits, invitations, survey results, request origin. */
import type { MessageCatalogue } from './catalogue.ts';

export const HARDENING_MESSAGES: MessageCatalogue = {};
