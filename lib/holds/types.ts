// The shapes other parts of Tessera code against (REST bodies, pages, the checkout); see
// docs/architecture.md. Seat ids are inventory ids.

export type HoldRequest = { seatIds: number[] } | { sectionId: string; quantity: number };

export type ReservationItem = {
  inventoryId: number;
  seq: number;
  sectionId: string;
  sectionName: string;
  rowLabel: string | null;
  seatNumber: string | null;
  priceMinor: number;
};

export type ReservationStatus = "ACTIVE" | "PAYMENT" | "CONFIRMED" | "RELEASED" | "EXPIRED" | "FAILED";

export type ReservationView = {
  id: string;
  eventId: string;
  status: ReservationStatus;
  expiresAt: string;
  paymentDeadline: string | null;
  quantity: number;
  amountMinor: number;
  currency: string;
  items: ReservationItem[];
};
