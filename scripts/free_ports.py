#!/usr/bin/env python3
"""Free loopback TCP ports for test servers.

    free_ports.py [N]      prints N (default 1) distinct free ports, one per line

The ports come from below the kernel's ephemeral range
(/proc/sys/net/ipv4/ip_local_port_range), never from it: the kernel hands
ephemeral ports to outgoing connections, so a listener's port taken from that
range can be grabbed by some client's connection while a test restarts the
process that listens on it, which then fails with "Address already in use".
Python tests import free_ports() from here.
"""
import random
import socket
import sys

LOWEST = 10000  # below: ports that well-known services may use


def ephemeral_range():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low, high = (int(x) for x in f.read().split())
        return low, high
    except (OSError, ValueError):
        return 32768, 60999  # Linux's default


def candidates():
    low, high = ephemeral_range()
    if low - LOWEST >= 2000:
        return LOWEST, low - 1
    return high + 1, 65535  # a machine whose ephemeral range starts low


def bindable(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def free_ports(n=1):
    first, last = candidates()
    chosen = []
    for _ in range(100 * n + 1000):
        if len(chosen) == n:
            return chosen
        port = random.randint(first, last)
        if port not in chosen and bindable(port):
            chosen.append(port)
    raise RuntimeError("no %d free ports between %d and %d" % (n, first, last))


def free_port():
    return free_ports(1)[0]


if __name__ == "__main__":
    for p in free_ports(int(sys.argv[1]) if len(sys.argv) > 1 else 1):
        print(p)
