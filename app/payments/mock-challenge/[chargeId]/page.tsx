import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { formatMoney } from "@/lib/money";
import { actorFromSession } from "@/lib/auth/actor";
import { isOwnOpenChallenge } from "@/lib/checkout/action-window";
import { configuredProvider } from "@/lib/payments";
import { mockChallenge } from "@/lib/payments/mock";
import { ChallengeForm } from "./challenge-form";
import { safeReturnPath } from "./return-path";

export const metadata: Metadata = { title: "Verify your payment (test bank)" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ chargeId: string }>; searchParams: Promise<{ return?: string }> };

/**
 * The mock provider's stand-in for a card issuer's 3-D Secure page (lib/payments/mock.ts, the
 * 3-D Secure test card): the customer approves or cancels the payment, then goes back to the
 * checkout. Only while the mock provider takes payments; any other time it does not exist.
 */
export default async function MockChallengePage({ params, searchParams }: Props) {
  if (configuredProvider() !== "mock") notFound();
  const { chargeId } = await params;
  const back = safeReturnPath((await searchParams).return);
  const actor = await actorFromSession();
  const challenge = actor && (await isOwnOpenChallenge(actor.id, chargeId)) ? await mockChallenge(chargeId) : null;
  return (
    <div className="mx-auto max-w-md space-y-5 rounded-xl border-2 border-indigo-300 bg-white p-6 shadow-sm">
      <p className="text-xs font-semibold tracking-wide text-indigo-800 uppercase">Test bank · 3-D Secure</p>
      <h1 className="text-2xl font-bold">Confirm this payment</h1>
      {challenge ? (
        <>
          <p className="text-slate-800">
            Your bank asks you to confirm a payment of <strong data-testid="challenge-amount">{formatMoney(challenge.amountMinor, challenge.currency)}</strong>
            {challenge.cardLast4 ? ` with the card ending in ${challenge.cardLast4}` : ""}. This is a test page: no real bank is asked and no real money moves.
          </p>
          <ChallengeForm chargeId={chargeId} returnPath={back} />
        </>
      ) : (
        <p role="status" className="text-slate-800">
          There is nothing left to confirm here: this payment was already confirmed, cancelled, or its time ran out.{" "}
          <a className="font-semibold underline" href={back}>
            Back to the shop
          </a>
          .
        </p>
      )}
    </div>
  );
}
