// Exit codes (documented in the README): 0 clean or below --fail-on, 1 findings at or above
// --fail-on, 2 usage, configuration or input errors.
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

/** An error the user can fix; printed without a stack trace. */
export class UsageError extends Error {}
