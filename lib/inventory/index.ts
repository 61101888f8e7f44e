// Inventory reads: the seat-state snapshot (polled, cached ~1 s) and the immutable seat layout.
export { getInventorySnapshot, getInventoryEncoded, type InventorySnapshot } from "./snapshot";
export { getSeatLayout, getSeatLayoutEncoded, type SeatLayout } from "./layout";
