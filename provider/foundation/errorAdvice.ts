/**
 * What to do about the Partner Center error codes a partner meets on the way to a customer's first order, appended
 * to the service's own description. Codes are compared as strings: Partner Center sends the same code as a number
 * in one body and a string in another.
 */

/** Advice per Partner Center (numeric) or Microsoft Graph (word) code (README, "Troubleshooting"). */
export const ERROR_ADVICE: Readonly<Record<string, string>> = {
  // [MS] "Any app+user API calls made without a valid MFA claim are blocked and return a 401 response with error
  // code 900421" (Partner Center, from 1 April 2026).
  "900421":
    "App+User calls need a sign-in with multi-factor authentication since 1 April 2026: redeem a new refresh token from a Secure Application Model consent done with MFA (partnercenter:refreshToken), or use an App-only flow — McaAcceptance needs no App+User credentials",
  // [3P, quoting Microsoft's error-codes page] "This resource doesn't support application-only authentication."
  "900329":
    "this operation needs App+User credentials, and the call was made App-only: set a refresh token (pulumi config set --secret partnercenter:refreshToken …); for the Microsoft Customer Agreement, McaAcceptance works App-only",
  // [3P, quoting Microsoft's error-codes page] a purchase blocked until the MCA is accepted.
  "13605":
    "Partner Center blocks the purchase until the customer's acceptance of the Microsoft Customer Agreement is recorded: declare an McaAcceptance for the customer and hand them its acceptanceUrl; once they accepted, pulumi up records it, then retry",
  // [MS] Graph's code for a call the app's permissions do not cover ("Microsoft Graph error responses").
  Authorization_RequestDenied:
    "the GDAP resources need the Microsoft Graph application permission DelegatedAdminRelationship.ReadWrite.All, admin-consented, and the service principal of appId 2832473f-ec63-45fb-976f-5d45a7d4bb91 (Partner Customer Delegated Administration) provisioned in your partner tenant (README, GDAP, Permissions)",
};

/** The service's description with the advice for its code, if there is one. */
export function withErrorAdvice(description: string, code: number | string | null | undefined): string {
  const advice = code === undefined || code === null ? undefined : ERROR_ADVICE[String(code)];
  return advice ? `${description}; ${advice}` : description;
}
