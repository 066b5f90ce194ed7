#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A small SMTP sink for lvsd's host tests (asyncio, no smtpd/aiosmtpd).

  smtp_sink.py ADDR PORT DIR

Speaks enough SMTP for a checker and for lvsd's alert mails: a 220
greeting (or the code in DIR/banner), HELO/EHLO (the name appended to
DIR/helo), MAIL, RCPT, DATA (each message saved as DIR/mail.N), RSET,
NOOP, QUIT.  Loopback or a test's namespace only.
"""
import asyncio
import os
import sys


def main(addr, port, d):
    count = [0]

    def banner():
        try:
            return open(os.path.join(d, "banner")).read().strip() or "220"
        except OSError:
            return "220"

    async def session(reader, writer):
        def say(line):
            writer.write((line + "\r\n").encode())

        say(banner() + " sink.lvsd.test ESMTP test sink")
        data = None
        try:
            while True:
                raw = await reader.readline()
                if not raw:
                    break
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                if data is not None:
                    if line == ".":
                        count[0] += 1
                        name = os.path.join(d, "mail.%d" % count[0])
                        with open(name + ".new", "w") as f:
                            f.write("\n".join(data) + "\n")
                        os.replace(name + ".new", name)
                        data = None
                        say("250 2.0.0 queued")
                    else:
                        data.append(line[1:] if line.startswith("..")
                                    else line)
                    continue
                verb = line.split(" ", 1)[0].upper()
                if verb in ("HELO", "EHLO"):
                    with open(os.path.join(d, "helo"), "a") as f:
                        f.write(line.split(" ", 1)[1] + "\n"
                                if " " in line else "\n")
                    say("250 sink.lvsd.test")
                elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                    say("250 2.0.0 ok")
                elif verb == "DATA":
                    data = []
                    say("354 end with <CRLF>.<CRLF>")
                elif verb == "QUIT":
                    say("221 2.0.0 bye")
                    await writer.drain()
                    break
                else:
                    say("502 5.5.2 not implemented")
                await writer.drain()
        except ConnectionError:
            pass
        writer.close()

    async def serve():
        family = 10 if ":" in addr else 2
        srv = await asyncio.start_server(session, addr, port, family=family,
                                         reuse_address=True)
        async with srv:
            await srv.serve_forever()

    asyncio.run(serve())


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
