import { runEmulatorBench } from "../bench/emulatorBench";
runEmulatorBench({ durationMs: 4000 }).then((r) => console.log(JSON.stringify(r.map((x) => [x.name, x.value, x.baseline]))));
