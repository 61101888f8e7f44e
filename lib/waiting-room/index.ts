// The virtual waiting room: a fair line in Redis in front of the hold path (see docs/architecture.md).
export { checkHoldAdmission, type Admission } from "./admission";
export { defaultWaitingRoom } from "./defaults";
export { joinQueue, queueStatus, type QueueResult, type QueueState, type QueueView } from "./queue";
export { getRoomSettings, guardsHolds, roomSettingsInput, updateRoomSettings, type RoomSettings, type RoomSettingsInput } from "./settings";
export { getRoomStats, type RoomStats } from "./stats";
export { signPass, signVisitor, verifyPass, verifyVisitor } from "./tokens";
