#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""flood_client.py ADDR PORT SECONDS [INTERVAL] [TIMEOUT]

A legitimate client under a flood: opens one TCP connection every INTERVAL
seconds (default 0.1) for SECONDS, each given TIMEOUT seconds (default 3)
to connect, send a line and read an answer.  Prints "OK TOTAL".  One
process, asyncio: the lab guest is small and slow.
"""
import asyncio
import sys


async def one(addr, port, timeout):
    try:
        r, w = await asyncio.wait_for(asyncio.open_connection(addr, port),
                                      timeout)
        w.write(b'hi\n')
        data = await asyncio.wait_for(r.read(100), timeout)
        w.close()
        return bool(data)
    except (OSError, asyncio.TimeoutError):
        return False


async def main():
    addr, port, secs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    interval = float(sys.argv[4]) if len(sys.argv) > 4 else 0.1
    timeout = float(sys.argv[5]) if len(sys.argv) > 5 else 3.0
    loop = asyncio.get_running_loop()
    end = loop.time() + secs
    tasks = []
    while loop.time() < end:
        tasks.append(asyncio.ensure_future(one(addr, port, timeout)))
        await asyncio.sleep(interval)
    res = await asyncio.gather(*tasks)
    print(sum(res), len(res))


asyncio.run(main())
