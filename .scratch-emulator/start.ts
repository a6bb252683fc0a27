import { startEmulator } from "../emulator";
(async () => { for (let i = 0; i < 3; i++) { const t = Date.now(); const e = await startEmulator(); console.log("start ms", Date.now() - t); await e.close(); } })();
