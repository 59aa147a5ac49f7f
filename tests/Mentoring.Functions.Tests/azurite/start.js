// Starts Azurite's queue service for the Storage work-queue tests: 127.0.0.1, a port the OS picks, in memory (nothing
// written to disk), no telemetry. Azurite prints "... successfully listens on http://127.0.0.1:<port>", which the test
// fixture reads. The fixture kills this process when the tests end; if the test run itself dies first, this exits
// when it sees its parent go, so no Azurite is left behind.
"use strict";

process.argv.splice(2, 0,
  "--queueHost", "127.0.0.1", "--queuePort", "0", "--inMemoryPersistence", "--disableTelemetry",
  // The Storage SDK may speak a newer REST version than this Azurite knows; the queue operations used are the same.
  "--skipApiVersionCheck");
require("azurite/dist/src/queue/main.js");

const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) {
    process.exit(0);
  }
}, 1000).unref();
