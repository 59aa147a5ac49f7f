// A real SMTP server for the tests, on 127.0.0.1 and a port the OS picks. Prints "LISTENING <port>" when it accepts
// connections, then one JSON line per message received: the envelope, how the session looked (TLS, user, SMTPUTF8)
// and the DATA exactly as received (base64, after dot-unstuffing, without the final "."). Exits when its standard
// input closes, so a test run that dies does not leave it behind.
//
// Arguments: --cert <pem> --key <pem>  offer STARTTLS with this certificate
//            --user <name> --pass <pw> require AUTH (PLAIN or LOGIN), only after STARTTLS
//            --no-smtputf8             do not offer SMTPUTF8
//            --reject <address>        answer 550 to RCPT TO for this address (repeatable)
"use strict";

const fs = require("node:fs");
const { SMTPServer } = require("smtp-server");

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const rejected = args.flatMap((a, i) => (a === "--reject" ? [args[i + 1].toLowerCase()] : []));
const cert = option("--cert");
const key = option("--key");
const user = option("--user");
const pass = option("--pass");

const server = new SMTPServer({
  secure: false,
  key: key ? fs.readFileSync(key) : undefined,
  cert: cert ? fs.readFileSync(cert) : undefined,
  hideSTARTTLS: !cert,
  hideSMTPUTF8: args.includes("--no-smtputf8"),
  authOptional: !user,
  disabledCommands: user ? [] : ["AUTH"],
  authMethods: ["PLAIN", "LOGIN"],
  allowInsecureAuth: false,
  logger: false,
  onAuth(auth, _session, callback) {
    if (auth.username === user && auth.password === pass) {
      callback(null, { user: auth.username });
    } else {
      callback(new Error("Invalid username or password"));
    }
  },
  onRcptTo(address, _session, callback) {
    if (rejected.includes(address.address.toLowerCase())) {
      const error = new Error("No such user here");
      error.responseCode = 550;
      callback(error);
    } else {
      callback();
    }
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on("data", (chunk) => chunks.push(chunk));
    stream.on("end", () => {
      const message = {
        mailFrom: session.envelope.mailFrom.address,
        mailFromArgs: session.envelope.mailFrom.args || {},
        rcptTo: session.envelope.rcptTo.map((r) => r.address),
        secure: session.secure,
        user: session.user || null,
        data: Buffer.concat(chunks).toString("base64"),
      };
      process.stdout.write(`MESSAGE ${JSON.stringify(message)}\n`);
      callback(null, "Queued as test");
    });
  },
});

server.on("error", (error) => process.stderr.write(`${error.message}\n`));
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`LISTENING ${server.server.address().port}\n`);
});

process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
