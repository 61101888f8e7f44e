"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { action, type ActionState } from "@/lib/actions";
import { isOwnOpenChallenge } from "@/lib/checkout/action-window";
import { pathAfterResume, resumeAfterAction } from "@/lib/checkout/resume";
import { configuredProvider } from "@/lib/payments";
import { answerMockChallenge } from "@/lib/payments/mock";
import { safeReturnPath } from "./return-path";

const answerSchema = z.object({
  chargeId: z.string().regex(/^ch_mock_[0-9a-f]{24}$/, "Unknown payment"),
  answer: z.enum(["approve", "cancel"]),
  returnPath: z.string().max(200),
});

/** The customer's answer to the mock 3-D Secure challenge; then back to the checkout, which finishes the payment. */
export const answerChallengeAction = action({ schema: answerSchema }, async (data, actor): Promise<ActionState> => {
  if (configuredProvider() !== "mock") return { ok: false, code: "not_found", formError: "This test page is not available." };
  // Like a bank, only the card holder answers: the customer whose checkout waits for it.
  if (!(await isOwnOpenChallenge(actor.id, data.chargeId))) return { ok: false, code: "not_found", formError: "There is no payment waiting for you here." };
  await answerMockChallenge(data.chargeId, data.answer === "approve");
  // Back to the shop, which finishes the order at once (as the checkout's return page would: a
  // redirect from here to that route handler would be followed as a client-side navigation).
  const reservationId = safeReturnPath(data.returnPath).match(/^\/checkout\/([0-9a-f-]{36})\/return$/i)?.[1];
  redirect(reservationId ? pathAfterResume(reservationId, await resumeAfterAction(actor, reservationId)) : "/");
});
