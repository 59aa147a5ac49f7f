// Starts the Cosmos DB API stand-in for the adapter tests on 127.0.0.1 and a free port chosen by the OS.
// Prints "LISTENING <port>" once it accepts connections; exits when its standard input closes, so a test run that dies
// does not leave it behind. HTTPS with the package's self-signed certificate (cert.pem next to its lib folder).
"use strict";

const { createHttpsServer } = require("@vercel/cosmosdb-server");

const server = createHttpsServer({ keepAlive: true });
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`LISTENING ${server.address().port}\n`);
});

process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
