export { newTicketCode, qrSvg, ticketQrPayload, verifyTicketPayload } from "./qr";
