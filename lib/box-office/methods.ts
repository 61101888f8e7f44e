// How a box-office sale was paid, and its label. No imports: the organizer's live dashboard
// (a client component) reads the labels, and nothing server-side may come into the browser with them.

export const BOX_OFFICE_METHODS = ["CASH", "CARD_AT_DESK", "COMPLIMENTARY", "INVITATION"] as const;
export type BoxOfficeMethod = (typeof BOX_OFFICE_METHODS)[number];

/** Methods that cost the customer nothing: the tickets are priced 0 and the booking is not revenue. */
export const FREE_METHODS: readonly BoxOfficeMethod[] = ["COMPLIMENTARY", "INVITATION"];

export const METHOD_LABELS: Record<BoxOfficeMethod, string> = {
  CASH: "Cash",
  CARD_AT_DESK: "Card at the desk",
  COMPLIMENTARY: "Complimentary",
  INVITATION: "Invitation",
};
