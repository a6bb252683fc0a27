import { createHash } from "node:crypto";
import type { PartnerCenterClient } from "../client/partnerCenterClient";
import { hasErrorCode, isNotFound, PartnerCenterError } from "../foundation";
import type { EnhancedAttestation } from "../schemas/attestation";
import { type CheckFailure, containsUnknown, deepEqual, isUnknown } from "./checkFailures";
import type { McaAcceptanceInputs, McaAcceptanceOutputs } from "./mcaAcceptanceTypes";
import { MCA_ACCEPTANCE_REPLACE_KEYS, validateMcaAcceptanceInputs } from "./mcaAcceptanceValidation";
import { providerContext } from "./providerContext";
import {
  logProviderMessage,
  partialCreateError,
  plainOutputsOf,
  withoutInternalKeys,
  withSecretKeys,
} from "./providerOutput";
import { stableRequestId } from "./stableRequestId";
import { isOpen, type PersonAnswer, statusAfter, waitForPerson } from "./waitingOnPerson";

type Props = Record<string, unknown>;

/** Outputs that hold what grants acceptance: wrapped as secrets whenever they leave the provider. */
const SECRET_KEYS = ["attestationId", "acceptanceUrl"] as const;

/** [MS] "A partner confirmed agreement already exists for the customer" for this contact: the record is there. */
const AGREEMENT_ALREADY_EXISTS = 600061;
/** [inferred, `ATTESTATION_ERROR_CODES.alreadyUsed`] the attestation already recorded an agreement: ours. */
const ATTESTATION_ALREADY_USED = 600072;
/** [inferred, `ATTESTATION_ERROR_CODES.unknown`] Partner Center does not know the attestation. */
const ATTESTATION_UNKNOWN = 600071;

/** Wire statuses read as "still waiting" ([3P]: KPN's wrapper says `Pending`, a vendor `PENDING`/`REQUIRED`). */
const PENDING_WIRE_STATUSES = new Set(["pending", "unverified", "required"]);

/**
 * What Partner Center's answer about an attestation means for the person we wait on. The status values are
 * inferred (`schemas/attestation.ts`): one we do not know is said, never silently taken for "waiting" forever.
 */
function answerOf(attestation: EnhancedAttestation): PersonAnswer {
  if (attestation.status === "accepted") return "acted";
  if (attestation.status === "expired") return "expired";
  if (attestation.status !== undefined && !PENDING_WIRE_STATUSES.has(attestation.status)) {
    logProviderMessage(
      `warning: Partner Center reports the MCA attestation status "${attestation.status}", which this provider does not know; it is taken as still waiting for the customer — please report it (provider/schemas/attestation.ts lists the statuses read)`,
    );
  }
  return "waiting";
}

/** The attestation of an acceptance in state, as Partner Center answers now. */
function readAttestation(
  client: PartnerCenterClient,
  outputs: Pick<McaAcceptanceOutputs, "attestationId" | "customerId">,
): Promise<EnhancedAttestation> {
  return client.getEnhancedAttestation(outputs.attestationId, { customerId: outputs.customerId });
}

/** The resource ID: the customer and a digest of the attestation (the ID itself grants acceptance: never an ID). */
function resourceId(customerId: string, attestationId: string): string {
  return `${customerId}/${createHash("sha256").update(attestationId.toLowerCase()).digest("hex").slice(0, 16)}`;
}

/** Outputs with their secrets wrapped (the host hands old outputs back in plaintext). */
function withSecrets(outputs: Props): Props {
  return withSecretKeys(outputs, SECRET_KEYS);
}

/** The old outputs, plain. */
function plainOutputs(props: Props): McaAcceptanceOutputs {
  return plainOutputsOf(props, SECRET_KEYS) as unknown as McaAcceptanceOutputs;
}

/** How a user gets the link to the customer (README, "Microsoft Customer Agreement in 2026"). */
function handOverHint(resource: string): string {
  return `hand the customer the acceptance link privately (pulumi stack output --show-secrets, or the acceptanceUrl output of ${resource}); it needs no sign-in, so anyone holding it can accept`;
}

/** The value the attestation used for a profile input (`country`, `language`, `companyName`), if it resolved one. */
function attestedValue(outputs: McaAcceptanceOutputs, key: string): unknown {
  if (key === "country") return outputs.attestedCountry;
  if (key === "language") return outputs.attestedLanguage;
  if (key === "companyName") return outputs.attestedCompanyName;
  return undefined;
}

function customerLabel(outputs: Pick<McaAcceptanceOutputs, "customerId" | "attestedCompanyName">): string {
  return `customer ${outputs.customerId}${outputs.attestedCompanyName ? ` (${outputs.attestedCompanyName})` : ""}`;
}

/**
 * Records the agreement from an accepted attestation, once: the request ID is derived from the attestation, so a
 * re-run replays it; Partner Center's "already confirmed" (600061) or "attestation already used" answers mean the
 * record exists, which is what was asked.
 */
async function recordAgreement(client: PartnerCenterClient, outputs: McaAcceptanceOutputs): Promise<void> {
  try {
    await client.createAgreementFromAttestation(
      outputs.customerId,
      {
        attestationId: outputs.attestationId,
        type: "MicrosoftCustomerAgreement",
        primaryContact: {
          firstName: outputs.signatory.firstName,
          lastName: outputs.signatory.lastName,
          email: outputs.signatory.email,
          ...(outputs.signatory.phoneNumber && { phoneNumber: outputs.signatory.phoneNumber }),
        },
      },
      { requestId: stableRequestId("McaAcceptance/agreement", outputs.attestationId.toLowerCase()) },
    );
  } catch (error) {
    if (hasErrorCode(error, AGREEMENT_ALREADY_EXISTS) || hasErrorCode(error, ATTESTATION_ALREADY_USED)) {
      logProviderMessage(`${customerLabel(outputs)}: the agreement was already recorded; kept that record`);
      return;
    }
    throw error;
  }
}

/**
 * Moves a not-yet-completed acceptance on: asks Partner Center (waiting up to `waitSeconds`), records the agreement
 * once accepted, and says where it stands. Returns the new outputs.
 */
async function progress(
  client: PartnerCenterClient,
  outputs: McaAcceptanceOutputs,
  waitSeconds: number,
  known?: PersonAnswer,
): Promise<McaAcceptanceOutputs> {
  let acceptedAt = outputs.acceptedAt;
  const ask = async () => {
    const attestation = await readAttestation(client, outputs);
    acceptedAt = attestation.acceptedAt ?? acceptedAt;
    return answerOf(attestation);
  };
  const answer =
    outputs.status === "accepted"
      ? "acted"
      : await waitForPerson(ask, waitSeconds, known === undefined ? {} : { known });
  if (answer === "waiting") {
    logProviderMessage(
      `${customerLabel(outputs)} has not accepted the Microsoft Customer Agreement yet: no agreement is recorded. ${handOverHint("this McaAcceptance")}; the next pulumi up after they accept records it`,
    );
    return { ...outputs, status: "waitingForCustomer" };
  }
  if (answer === "expired") {
    logProviderMessage(
      `warning: the MCA attestation of ${customerLabel(outputs)} expired before the customer accepted: no agreement is recorded. Replace the resource (pulumi up --replace <its URN>) to create a new attestation and link`,
    );
    return { ...outputs, status: "expired" };
  }
  await recordAgreement(client, outputs);
  logProviderMessage(`${customerLabel(outputs)} accepted the Microsoft Customer Agreement; the agreement is recorded`);
  return {
    ...outputs,
    status: "completed",
    acceptedAt: acceptedAt ?? new Date().toISOString(),
    recordedAt: new Date().toISOString(),
  };
}

/**
 * The `McaAcceptance` provider methods (the enhanced attestation flow, waiting on the customer: see
 * `waitingOnPerson.ts`), called by the thin serialized provider through `require("pulumi-partnercenter/runtime")`.
 */
export const mcaAcceptance = {
  /**
   * Validates inputs at preview, and that the provider can take the flow: App-only credentials (a client secret,
   * certificate or workload identity) and a cloud where Microsoft takes enhanced attestations.
   */
  async check(_olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckFailure[] }> {
    const context = providerContext();
    const { inputs, failures } = validateMcaAcceptanceInputs(news);
    if (!context.settings.appCredential) {
      failures.push({
        property: "customerId",
        reason:
          "the MCA attestation needs App-only credentials: set partnercenter:tenantId, partnercenter:clientId and partnercenter:clientSecret (or a certificate, or a federated token file); an App+User refresh token alone is not enough",
      });
    }
    if (!context.settings.mcaAcceptanceBase) {
      failures.push({
        property: "customerId",
        reason: `Microsoft takes enhanced MCA attestations only in the public cloud (partnercenter:cloud is ${context.settings.cloud}); set partnercenter:mcaAcceptanceBase only if your cloud has an acceptance page`,
      });
    }
    return { inputs: inputs as unknown as Props, failures };
  },

  /**
   * A change of the customer, the signatory or the attested profile replaces (a new attestation); writing down the
   * value the attestation already used (say `country: US` where the customer's address gave `US`) is no change. The
   * bounded wait changes in place. A completed or expired acceptance costs no request; a waiting one asks Partner
   * Center once whether the customer accepted (or the attestation expired) and plans the update that records it. A
   * status that cannot be read is said, and plans nothing: a preview never fails on it.
   */
  async diff(_id: string, olds: Props, news: Props) {
    const outputs = plainOutputs(olds);
    const replaces = MCA_ACCEPTANCE_REPLACE_KEYS.filter((key) => {
      if (isUnknown(news[key]) || containsUnknown(news[key])) return true;
      if (deepEqual(olds[key], news[key])) return false;
      return !(olds[key] === undefined && news[key] === attestedValue(outputs, key));
    });
    let changes = replaces.length > 0 || !deepEqual(olds.waitForAcceptanceSeconds, news.waitForAcceptanceSeconds);
    if (replaces.length > 0 && (outputs.status === "completed" || outputs.status === "accepted")) {
      logProviderMessage(
        `warning: ${replaces.join(", ")} changed: ${customerLabel(outputs)} ${outputs.status === "completed" ? "has an agreement recorded" : "already accepted"}; the replacement creates a new attestation that the customer must accept again`,
      );
    }
    if (replaces.length === 0 && isOpen(outputs.status)) {
      if (outputs.status === "accepted") changes = true;
      else {
        let answer: PersonAnswer;
        try {
          answer = answerOf(await readAttestation(providerContext().client(), outputs));
        } catch (error) {
          logProviderMessage(
            `warning: could not ask whether ${customerLabel(outputs)} accepted the MCA (${error instanceof Error ? error.message : String(error)}); nothing is planned for it this time`,
          );
          return { changes, replaces: [] };
        }
        if (answer === "acted") {
          logProviderMessage(`${customerLabel(outputs)} accepted the MCA: pulumi up records the agreement`);
          changes = true;
        } else if (answer === "expired") {
          logProviderMessage(
            `warning: the MCA attestation of ${customerLabel(outputs)} expired unaccepted: pulumi up records that; replace the resource to create a new one`,
          );
          changes = true;
        } else {
          logProviderMessage(`waiting for ${customerLabel(outputs)} to accept the Microsoft Customer Agreement`);
        }
      }
    }
    return { changes, replaces: [...replaces] };
  },

  /**
   * Creates the attestation (idempotent: the request ID is derived from the request body, so a re-run or a crash
   * replays it instead of making a second one, while Partner Center holds the ID) and ends waiting for the customer,
   * the link in the secret `acceptanceUrl`. It never waits: the customer cannot have the link before it returns.
   */
  async create(props: Props): Promise<{ id: string; outs: Props }> {
    const inputs = withoutInternalKeys(props) as unknown as McaAcceptanceInputs;
    const context = providerContext();
    const client = context.client();
    const base = context.settings.mcaAcceptanceBase;
    if (!base) {
      throw new PartnerCenterError({
        kind: "config",
        operation: `Creating the MCA attestation of customer ${inputs.customerId}`,
        description: "Microsoft takes enhanced MCA attestations only in the public cloud",
      });
    }
    let country = inputs.country;
    let language = inputs.language;
    let companyName = inputs.companyName;
    if (!country || !language || !companyName) {
      const customer = await client.getCustomer(inputs.customerId);
      const billing = customer.billingProfile;
      country ??= billing?.defaultAddress?.country?.toUpperCase() ?? undefined;
      language ??= billing?.language?.slice(0, 2).toLowerCase() ?? undefined;
      companyName ??= billing?.companyName ?? customer.companyProfile?.companyName ?? undefined;
      const missing = [!country && "country", !language && "language", !companyName && "companyName"].filter(Boolean);
      if (missing.length > 0) {
        throw new PartnerCenterError({
          kind: "config",
          operation: `Creating the MCA attestation of customer ${inputs.customerId}`,
          description: `the customer's billing profile has no ${missing.join(", ")}: set ${missing.join(" and ")} on the McaAcceptance`,
        });
      }
    }
    const request = {
      country: country as string,
      language: language as string,
      companyName: companyName as string,
      signatoryFirstName: inputs.signatory.firstName,
      signatoryLastName: inputs.signatory.lastName,
      signatoryEmail: inputs.signatory.email,
      ...(inputs.signatory.phoneNumber && { signatoryPhoneNumber: inputs.signatory.phoneNumber }),
      customerTenantId: inputs.customerId,
    };
    // One attestation per customer, signatory and attested profile: a re-run (or a second stack declaring the same
    // acceptance) gets Partner Center's replay of it, never a second one — while Partner Center still holds the
    // request ID (how long is undocumented). A replay naming an attestation that expired since (the resource was
    // replaced to get a new one) is asked again under an ID derived from it: deterministic, so that replays too.
    // A replay repeats the *first* answer ("pending"), so the status is read afresh; a failed read keeps the answer.
    const attest = async (id: string) => {
      const answer = await client.createEnhancedAttestation(request, { requestId: id });
      const attestation = await readAttestation(client, { attestationId: answer.id, customerId: inputs.customerId })
        .then((current) => ({ ...answer, ...current, id: answer.id }))
        .catch(() => answer);
      return { attestation, answer: answerOf(attestation) };
    };
    let requestId = stableRequestId("McaAcceptance/attestation", request);
    let { attestation, answer } = await attest(requestId);
    for (let replays = 0; answer === "expired" && replays < 4; replays++) {
      requestId = stableRequestId(requestId, { expired: attestation.id.toLowerCase() });
      ({ attestation, answer } = await attest(requestId));
    }
    const { acceptanceLink } = require("../schemas/attestation") as typeof import("../schemas/attestation");
    const started: McaAcceptanceOutputs = {
      ...inputs,
      attestationId: attestation.id,
      acceptanceUrl: acceptanceLink(base, attestation.id),
      attestedCountry: request.country,
      attestedLanguage: request.language,
      attestedCompanyName: request.companyName,
      status: statusAfter(answer),
      ...(attestation.acceptedAt && { acceptedAt: attestation.acceptedAt }),
    };
    const id = resourceId(inputs.customerId, attestation.id);
    // The link reaches the customer only once this create returns, so the create never waits for them; it records
    // the agreement at once only when Partner Center says the attestation is already accepted (a replay).
    let outputs: McaAcceptanceOutputs;
    try {
      outputs = await progress(client, started, 0, answer);
    } catch (error) {
      // The attestation exists: keep it (and its link) in the stack, as a partial create the next up completes.
      const why = error instanceof Error ? error.message : String(error);
      const kept = { ...withSecrets(started as unknown as Props), status: "accepted" };
      throw partialCreateError(
        `${customerLabel(started)}: the attestation is kept, recording its agreement failed: ${why}`,
        id,
        kept,
        props,
      );
    }
    return { id, outs: withSecrets(outputs as unknown as Props) };
  },

  /**
   * Refresh: reads the attestation's status into state (a customer who accepted shows as `accepted`, recorded by the
   * next `pulumi up`). An attestation Partner Center says it does not know (its own code) leaves state only while
   * nothing was recorded from it; any other 404 keeps the state with a warning; a recorded agreement always stays.
   */
  async read(id: string, props: Props): Promise<{ id: string; props?: Props; inputs?: Props }> {
    const outputs = plainOutputs(props);
    if (!outputs.attestationId) return { id, props: withSecrets(outputs as unknown as Props) };
    let attestation: EnhancedAttestation;
    try {
      attestation = await readAttestation(providerContext().client(), outputs);
    } catch (error) {
      // Only Partner Center saying it does not know *this attestation* forgets a pending one (and its link): a plain
      // 404 may be the status endpoint itself, which is inferred, and must not wipe a fleet of links.
      if (isNotFound(error) && hasErrorCode(error, ATTESTATION_UNKNOWN) && outputs.status !== "completed") {
        return { id: "" };
      }
      if (isNotFound(error)) {
        logProviderMessage(
          `warning: the status of the MCA attestation of ${customerLabel(outputs)} could not be read (${error.message}); it is kept in the stack unchanged`,
        );
        return { id, props: withSecrets(outputs as unknown as Props) };
      }
      throw error;
    }
    const next: McaAcceptanceOutputs = { ...outputs };
    if (outputs.status !== "completed") next.status = statusAfter(answerOf(attestation));
    if (attestation.acceptedAt) next.acceptedAt = attestation.acceptedAt;
    return { id, props: withSecrets(next as unknown as Props) };
  },

  /**
   * Applies `waitForAcceptanceSeconds` and moves a waiting acceptance on: records the agreement once the customer
   * accepted (within the wait, if one is set).
   */
  async update(_id: string, olds: Props, news: Props): Promise<{ outs: Props }> {
    const old = plainOutputs(olds);
    const inputs = withoutInternalKeys(news) as unknown as McaAcceptanceInputs;
    let outputs: McaAcceptanceOutputs = { ...old, waitForAcceptanceSeconds: inputs.waitForAcceptanceSeconds };
    if (outputs.waitForAcceptanceSeconds === undefined) delete outputs.waitForAcceptanceSeconds;
    if (isOpen(old.status)) {
      outputs = await progress(providerContext().client(), outputs, inputs.waitForAcceptanceSeconds ?? 0);
    }
    return { outs: withSecrets(outputs as unknown as Props) };
  },

  /** Forgets the acceptance: Partner Center cannot withdraw an agreement or an attestation, so nothing is sent. */
  async delete(_id: string, props: Props): Promise<void> {
    const outputs = plainOutputs(props);
    logProviderMessage(
      `${customerLabel(outputs)}: the MCA acceptance was removed from the stack; ${outputs.status === "completed" ? "the recorded agreement stays in Partner Center" : "the attestation stays in Partner Center, unused"}`,
    );
  },
};
