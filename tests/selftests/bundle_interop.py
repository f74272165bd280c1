#!/usr/bin/python3
"""SA bundles (RFC 4301 4.5): a policy with several templates, kipsec in
namespace A against XFRM in B with the same templates. The seeds' example
'spdadd ... -P out ipsec esp/transport//require ah/transport//require'
(IPv6, documentation addresses) and its IPv4 twin with ESP encrypting
only: the wire carries IP|AH|ESP|payload, pings, UDP and TCP pass both
ways, and every SA of the bundle counts the traffic. On input the packet
must have carried exactly the policy's templates in order: ESP alone, AH
alone, or AH and ESP the other way round, where ESP+AH is required, are
dropped as policy_mismatch. And AH transport inside an ESP tunnel."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok  # noqa
from xfrm_pair import (ADDR, AH, ALGS, ESP, ESP_CBC, ESP_GCM, NSB,  # noqa
                       POLICY_MISMATCH, all_drops, cap, configure,
                       drop_report, ping, sa_stats, teardown, traffic)


def bundle_case(label, layers, fam, tcp):
    """ESP then AH in transport mode; returns the SPIs."""
    spis, ia, ib = configure(layers, fam, fam)
    (esp_ab, esp_ba), (ah_ab, ah_ba) = spis
    traffic(label, ia, ib, tcp=tcp)
    a, b = ADDR[fam]
    stats = {"ESP out": sa_stats(esp_ab, b, ESP)["PACKETS_OUT"],
             "AH out": sa_stats(ah_ab, b, AH)["PACKETS_OUT"],
             "ESP in": sa_stats(esp_ba, a, ESP)["PACKETS_IN"],
             "AH in": sa_stats(ah_ba, a, AH)["PACKETS_IN"]}
    ok(all(n >= 11 for n in stats.values()),
       label + ": both SAs of the bundle count the traffic each way", stats)
    time.sleep(0.3)
    frames = cap.frames(ah_ab)
    ok(frames and all(f[off] == 50 for _, off, f in frames),
       label + ": on the wire kipsec sends IP|AH|ESP (AH's next header 50)",
       [f[off] for _, off, f in frames])
    frames = cap.frames(ah_ba)
    ok(frames and all(f[off] == 50 for _, off, f in frames),
       label + ": and XFRM does the same",
       [f[off] for _, off, f in frames])


ESP_AH6 = [(ESP, ESP_GCM, "transport"), (AH, ALGS[0], "transport")]
bundle_case("IPv6 esp/transport + ah/transport (AES-GCM, HMAC-SHA2-256)",
            ESP_AH6, 6, tcp=True)
ESP_AH4 = [(ESP, ESP_CBC, "transport"), (AH, ALGS[3], "transport")]
bundle_case("IPv4 esp/transport (AES-CBC, no integrity) + ah/transport "
            "(HMAC-SHA1-96)", ESP_AH4, 4, tcp=True)

# Transport inside tunnel: AH between the inner addresses, then ESP
# between the gateways: IPo|ESP|IPi|AH|payload.
for fam in (4, 6):
    label = "IPv%d ah/transport inside esp/tunnel" % fam
    layers = [(AH, ALGS[0], "transport"), (ESP, ESP_GCM, "tunnel")]
    spis, ia, ib = configure(layers, fam, fam)
    (ah_ab, ah_ba), (esp_ab, esp_ba) = spis
    traffic(label, ia, ib, tcp=fam == 4)
    a, b = ADDR[fam]
    stats = {"AH out": sa_stats(ah_ab, ib, AH)["PACKETS_OUT"],
             "ESP out": sa_stats(esp_ab, b, ESP)["PACKETS_OUT"],
             "AH in": sa_stats(ah_ba, ia, AH)["PACKETS_IN"],
             "ESP in": sa_stats(esp_ba, a, ESP)["PACKETS_IN"]}
    ok(all(n >= 11 for n in stats.values()),
       label + ": both SAs count the traffic each way", stats)

# What B sends differs from what kipsec's inbound policy requires.
REQUIRED = [(ESP, ESP_GCM, "transport"), (AH, ALGS[0], "transport")]
for what, sent in (
        ("ESP alone", [(ESP, ESP_GCM, "transport")]),
        ("AH alone", [(AH, ALGS[0], "transport")]),
        ("AH inside ESP (the wrong order)",
         [(AH, ALGS[0], "transport"), (ESP, ESP_GCM, "transport")])):
    for fam in (6, 4):
        spis, ia, ib = configure(sent, fam, fam, kipsec_in=REQUIRED)
        before = all_drops().get(POLICY_MISMATCH, 0)
        # B pings: its 2 requests reach kipsec as B protected them (A's
        # own packets may not even be accepted by XFRM: it checks AH
        # inside ESP against the header as ESP left it).
        good, _ = ping(ib, ia, 56, NSB)
        after = all_drops().get(POLICY_MISMATCH, 0)
        ok(not good and after - before >= 2,
           "IPv%d: %s where ESP+AH is required is dropped as "
           "policy_mismatch" % (fam, what),
           (good, after - before, drop_report()))

teardown()
finish()
