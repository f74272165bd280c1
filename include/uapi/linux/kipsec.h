/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * kipsec: an IPsec (ESP/AH) data path behind netfilter hooks.
 *
 * This header is the contract between kipsec.ko and everything that
 * configures it (the kipsec CLI, IKE daemons). It documents every command
 * and attribute; a change here is a change of the contract.
 *
 * Transport
 * =========
 * Generic netlink family KIPSEC_GENL_NAME ("kipsec"), version
 * KIPSEC_GENL_VERSION. All state is per network namespace: a request acts on
 * the namespace of the socket that sent it. Requests are validated strictly
 * (unknown attributes, wrong lengths and out-of-range values are rejected);
 * a rejected request changes nothing and its extended ACK carries a message
 * a person can act on.
 *
 * Multicast group KIPSEC_MCGRP_EVENTS ("events") carries notifications.
 *
 * Permissions
 * ===========
 * Every command that reads or changes SAs or policies, and
 * KIPSEC_CMD_SOCKET_BYPASS, needs CAP_NET_ADMIN
 * in the namespace's user namespace (EPERM otherwise). KIPSEC_CMD_STATS_GET
 * needs no privilege. Joining the multicast group needs CAP_NET_ADMIN in
 * the namespace's user namespace too (EPERM at bind or
 * NETLINK_ADD_MEMBERSHIP): events reveal SPIs, counters and, through
 * ACQUIRE, whom the host's processes try to reach. Events never carry keys.
 * As with XFRM, an unprivileged user namespace's root may configure its
 * own network namespaces; the limits below bound what it can take.
 *
 * Limits
 * ======
 * Per network namespace, set by module parameters (0644 in
 * /sys/module/kipsec/parameters/, for the whole host): max_sas (default
 * 1048576, larval SAs included), max_larval_sas (16384 SPIs reserved by
 * ALLOC_SPI and not yet completed), max_policies (1048576). A request past
 * one fails with ENOSPC and a message naming the parameter. Fixed:
 * KIPSEC_SOCKET_BYPASS_MAX sockets registered by KIPSEC_CMD_SOCKET_BYPASS.
 * SAs, their replay state and counters, policies and registrations are
 * charged to the memory cgroup of the process that asks for them (ENOMEM
 * past its limit).
 *
 * Objects
 * =======
 * An SA is identified by (KIPSEC_SA_A_DST, KIPSEC_SA_A_SPI, KIPSEC_SA_A_PROTO).
 * A policy is identified by its direction and selector (KIPSEC_POL_A_DIR,
 * _SRC, _SRC_PLEN, _DST, _DST_PLEN, _PROTO, _SPORT, _DPORT, _ICMP_TYPE,
 * _ICMP_CODE), or by the index the module gave it (KIPSEC_POL_A_INDEX).
 * Addresses are 4 (IPv4) or 16 (IPv6) bytes in network byte order; all
 * addresses of one object are of one family, except tunnel endpoints, whose
 * family may differ from the selector's. Integers are in host byte order.
 *
 * Commands (request attributes; "reply" is what comes back)
 * ========
 * KIPSEC_CMD_STATS_GET
 *   Request: nothing. Reply: KIPSEC_A_STATS_DROPS, KIPSEC_A_STATS_ENCAP.
 *
 * KIPSEC_CMD_SA_NEW      KIPSEC_A_SA with at least PROTO, SPI, SRC, DST and
 *                        the algorithms. EEXIST if the SA exists.
 * KIPSEC_CMD_SA_UPDATE   KIPSEC_A_SA naming an existing SA. A larval SA
 *                        (from KIPSEC_CMD_SA_ALLOC_SPI) becomes a full one:
 *                        everything KIPSEC_CMD_SA_NEW takes is accepted.
 *                        On a full SA only the lifetimes and TUNNEL_DF may
 *                        be given; algorithms, keys, addresses, mode, reqid,
 *                        flags and the replay window are fixed for the SA's
 *                        life (add a new SA to rekey). ENOENT if there is no
 *                        such SA.
 * KIPSEC_CMD_SA_GET      doit: KIPSEC_A_SA with DST, SPI, PROTO; reply: the
 *                        SA (all attributes, keys included, CURRENT, STATS).
 *                        dumpit: every SA of the namespace, optionally only
 *                        those of KIPSEC_A_SA_PROTO_FILTER. Either way,
 *                        KIPSEC_A_SA_NO_KEYS leaves the keys out.
 * KIPSEC_CMD_SA_DEL      KIPSEC_A_SA with DST, SPI, PROTO. Also releases a
 *                        larval SA. ENOENT if there is no such SA.
 * KIPSEC_CMD_SA_FLUSH    all SAs, or those of KIPSEC_A_SA_PROTO_FILTER.
 * KIPSEC_CMD_SA_ALLOC_SPI  KIPSEC_A_SA with PROTO, SRC, DST, optional
 *                        REQID, optional SPI_MIN/SPI_MAX (default 256 ..
 *                        2^32-1): picks a free SPI at random in the range
 *                        and holds it as a larval SA, which is deleted
 *                        after KIPSEC_LARVAL_SECONDS unless updated. Reply:
 *                        the larval SA (SPI set). ENOSPC if the range is
 *                        full. If the reply cannot be delivered (the
 *                        requester's receive queue is full), the SA is
 *                        removed again and the request fails.
 *
 * KIPSEC_CMD_POLICY_NEW  KIPSEC_A_POLICY with DIR, the selector, ACTION and,
 *                        for action ipsec, TEMPLATES. EEXIST if a policy
 *                        with the same direction and selector exists,
 *                        unless the request has KIPSEC_A_POLICY_STACK: then
 *                        the templates are stacked on the existing policy
 *                        (created if missing) as a new instance (an IKE
 *                        rekey: same selector, new SA named by the
 *                        templates' SPI). Outbound packets use
 *                        the newest instance; inbound packets may match any.
 *                        At most KIPSEC_POLICY_INSTANCES_MAX (4) instances:
 *                        make-before-break needs two, colliding rekeys a
 *                        third; beyond that ENOSPC (delete the retired
 *                        instance first, POLICY_DEL with SA_SPI). So every
 *                        policy fits one message: replies, dumps, events
 *                        and ACQUIRE never lose one.
 *                        The policy (with its INDEX) goes to the events
 *                        group, and back to the requester only with
 *                        NLM_F_ECHO; once the policy is in place the
 *                        request succeeds even if that reply is lost.
 * KIPSEC_CMD_POLICY_UPDATE  as NEW, but replaces the action, priority and
 *                        templates of an existing policy (all instances);
 *                        creates it if missing. The policy keeps its place
 *                        in the lookup order unless its priority changes.
 * KIPSEC_CMD_POLICY_GET  doit: by INDEX, or by DIR + selector; dumpit: all
 *                        policies, direction by direction (enum
 *                        kipsec_dir order), each in lookup order.
 * KIPSEC_CMD_POLICY_DEL  by INDEX, or by DIR + selector. With
 *                        KIPSEC_POL_A_SA_SPI only the instance whose
 *                        templates name that SPI goes; the policy goes with
 *                        its last instance. ENOENT if there is none.
 * KIPSEC_CMD_POLICY_FLUSH  every policy of the namespace.
 *
 * KIPSEC_CMD_SOCKET_BYPASS  KIPSEC_A_SOCKET_COOKIE (required, not 0): the
 *                        SO_COOKIE (getsockopt(SOL_SOCKET, SO_COOKIE)) of
 *                        a socket in the requester's namespace, whose
 *                        packets then bypass the SPD, as XFRM's per-socket
 *                        policies let an IKE daemon keep its own packets
 *                        out of IPsec (strongSwan's bypass_socket):
 *                        - out: a packet whose socket (skb->sk, a full
 *                          socket of this namespace) has a registered
 *                          cookie is sent in clear, whatever policy (ipsec
 *                          or discard) would match it;
 *                        - in: plaintext UDP (IPv4, IPv6) for this host
 *                          that the inbound policy check would drop
 *                          (unprotected or policy_discard) is accepted if
 *                          the UDP socket it is delivered to has a
 *                          registered cookie. Forwarded packets and ESP/AH
 *                          are processed as always.
 *                        Bypassed packets are neither counted nor noted as
 *                        a policy's use (KIPSEC_POL_A_IDLE_SECONDS).
 *                        Needs CAP_NET_ADMIN, as the other write commands.
 *                        A registration belongs to the netlink socket that
 *                        made it: it goes when that socket is closed (so
 *                        a daemon's bypass lasts as long as the daemon);
 *                        there is no command to remove one. Registering a
 *                        cookie again from the same netlink socket is a
 *                        no-op success; another netlink socket registering
 *                        the same cookie makes a registration of its own.
 *                        The module cannot see whether a socket with that
 *                        cookie exists; cookies are never reused, so one
 *                        of a closed socket matches nothing (it still
 *                        counts towards the limit until its owner goes).
 *                        At most KIPSEC_SOCKET_BYPASS_MAX (16)
 *                        registrations per namespace: ENOSPC beyond. No
 *                        reply but the ACK, no event.
 *
 * Events (multicast group "events", same command numbers)
 * ======
 * Every event goes to the listeners of the request's network namespace,
 * after the change is in place, and never carries a key.
 * KIPSEC_CMD_SA_NEW         the SA (KIPSEC_A_SA): added by SA_NEW, or
 *                           reserved by SA_ALLOC_SPI (STATE larval), so a
 *                           listener knows every SA it later hears of.
 * KIPSEC_CMD_SA_UPDATE      the SA after SA_UPDATE (a larval SA completed,
 *                           or new lifetimes).
 * KIPSEC_CMD_SA_DEL         the SA as it was, removed by SA_DEL.
 * KIPSEC_CMD_SA_FLUSH       KIPSEC_A_SA_PROTO_FILTER if the flush had one.
 * KIPSEC_CMD_POLICY_NEW     a policy that did not exist (KIPSEC_A_POLICY).
 * KIPSEC_CMD_POLICY_UPDATE  the policy as it now is: POLICY_UPDATE, an
 *                           instance stacked by POLICY_NEW with
 *                           KIPSEC_A_POLICY_STACK, or one instance removed by
 *                           POLICY_DEL with SA_SPI while others remain.
 * KIPSEC_CMD_POLICY_DEL     the policy as it was, before it went.
 * KIPSEC_CMD_POLICY_FLUSH   no attributes.
 * KIPSEC_CMD_EXPIRE         KIPSEC_A_SA (PROTO, SPI, SRC, DST, REQID) and
 *                           KIPSEC_A_EXPIRE_HARD (flag, present for a hard
 *                           expiry: the SA is gone; absent: soft, rekey now).
 * KIPSEC_CMD_ACQUIRE        a packet hit an ipsec policy whose SA is missing:
 *                           KIPSEC_A_POLICY (the policy) and KIPSEC_A_SA
 *                           (PROTO, MODE, SRC, DST, REQID wanted). One
 *                           per policy, template and SA addresses (so
 *                           every peer behind a wildcard policy gets its
 *                           own); again only after the module parameter
 *                           acquire_expires (seconds, default 30, as
 *                           net.core.xfrm_acq_expires) or once an SA for
 *                           it was installed. Sent only while someone
 *                           listens, and for `use` templates too (the
 *                           packet then goes in clear).
 * KIPSEC_CMD_MAPPING        authenticated ESP in UDP arrived for an SA
 *                           with encapsulation from another address or
 *                           source port than the SA's SRC and ENCAP_SPORT
 *                           (the peer's NAT rebound): KIPSEC_A_SA (PROTO,
 *                           SPI, SRC, DST, REQID, ENCAP_SPORT, ENCAP_DPORT,
 *                           as the SA is), KIPSEC_A_MAPPING_ADDR and
 *                           KIPSEC_A_MAPPING_PORT (the new endpoint). Once
 *                           per new endpoint of an SA; the IKE daemon
 *                           decides whether to move the SA there.
 *
 * Top-level attributes
 * ====================
 * KIPSEC_A_PAD               padding for 64-bit attributes
 * KIPSEC_A_STATS_DROPS       nested; one u64 per enum kipsec_drop_reason
 *                            (attribute type = reason): packets this
 *                            namespace dropped for that reason. A newer
 *                            module may add reasons at the end.
 * KIPSEC_A_SA                nested, enum kipsec_sa_attr
 * KIPSEC_A_POLICY            nested, enum kipsec_pol_attr
 * KIPSEC_A_SA_PROTO_FILTER   u8, IPPROTO_ESP or IPPROTO_AH (flush/dump)
 * KIPSEC_A_EXPIRE_HARD       flag (KIPSEC_CMD_EXPIRE)
 * KIPSEC_A_SA_NO_KEYS        flag (KIPSEC_CMD_SA_GET): reply without
 *                            KIPSEC_ALG_A_KEY, for readers that need no
 *                            keys (monitoring, deleteall, `kipsec -DK`)
 * KIPSEC_A_POLICY_STACK      flag (KIPSEC_CMD_POLICY_NEW): stack the
 *                            templates on an existing policy as a new
 *                            instance (an IKE rekey)
 * KIPSEC_A_SOCKET_COOKIE     u64 (KIPSEC_CMD_SOCKET_BYPASS): a socket's
 *                            SO_COOKIE
 * KIPSEC_A_MAPPING_ADDR      binary, 4 or 16 bytes (KIPSEC_CMD_MAPPING): the
 *                            peer's address as authenticated packets now
 *                            arrive from it
 * KIPSEC_A_MAPPING_PORT      u16 (KIPSEC_CMD_MAPPING): the peer's UDP source
 *                            port as those packets now arrive from it
 * KIPSEC_A_STATS_ENCAP       nested, reply to KIPSEC_CMD_STATS_GET, enum
 *                            kipsec_encap_stats_attr: this namespace's
 *                            UDP-encapsulated ESP (RFC 3948), all u64
 *
 * Each command takes only the top-level attributes its description names;
 * any other is refused (EINVAL, "Unsupported attribute"). Headers are
 * checked for every command: genlmsghdr.reserved must be 0, and
 * nlmsg_flags may carry only NLM_F_REQUEST, NLM_F_ACK, NLM_F_ECHO and
 * NLM_F_DUMP. Ranges and lengths are in the attribute policies, which
 * `genl ctrl policy name kipsec` shows; a value outside its range fails
 * with ERANGE, the extack pointing at the attribute and its policy.
 *
 * SA attributes (KIPSEC_A_SA)
 * ===========================
 * KIPSEC_SA_A_PROTO          u8: IPPROTO_ESP (50) or IPPROTO_AH (51)
 * KIPSEC_SA_A_SPI            u32: 256 .. 2^32-1 (0-255 are reserved)
 * KIPSEC_SA_A_SRC, _DST      binary, 4 or 16 bytes, same family
 * KIPSEC_SA_A_MODE           u8: enum kipsec_mode (default transport)
 * KIPSEC_SA_A_REQID          u32: ties the SA to policy templates (0: none)
 * KIPSEC_SA_A_REPLAY_WINDOW  u32: anti-replay window in packets; 0 turns
 *                            replay protection off; 32 ..
 *                            KIPSEC_REPLAY_WINDOW_MAX (65536); rounded up to
 *                            a multiple of 64. Default
 *                            KIPSEC_REPLAY_WINDOW_DEFAULT (1024), and 0 for
 *                            an ESP SA without integrity protection (no
 *                            AEAD, no KIPSEC_SA_A_INTEG), which may not
 *                            have a window: unauthenticated packets would
 *                            move it (RFC 4303 3.4.3; EINVAL).
 * KIPSEC_SA_A_FLAGS          u32: enum kipsec_sa_flags
 * KIPSEC_SA_A_ENCR           nested, enum kipsec_alg_attr: the IKEv2
 *                            encryption transform (ENCR_*). For AEADs
 *                            (AES-GCM, AES-CCM, ChaCha20-Poly1305) and
 *                            AES-GMAC the key ends with the salt, as IKEv2
 *                            derives it (e.g. AES-GCM-16-128: 20 bytes).
 * KIPSEC_SA_A_INTEG          nested, enum kipsec_alg_attr: the IKEv2
 *                            integrity transform (AUTH_*). Required for AH;
 *                            not allowed with an AEAD.
 * KIPSEC_SA_A_LIFETIME_SOFT  nested, enum kipsec_lifetime_attr: when to send
 *                            a soft EXPIRE (time to rekey). 0 or absent:
 *                            no limit.
 * KIPSEC_SA_A_LIFETIME_HARD  nested, enum kipsec_lifetime_attr: when the SA
 *                            is deleted (hard EXPIRE).
 * KIPSEC_SA_A_TUNNEL_DF      u8: enum kipsec_df (tunnel mode outer DF bit)
 * KIPSEC_SA_A_SPI_MIN, _MAX  u32: range for KIPSEC_CMD_SA_ALLOC_SPI
 * KIPSEC_SA_A_STATE          u8, reply only: enum kipsec_sa_state
 * KIPSEC_SA_A_CURRENT        nested, reply only, enum kipsec_lifetime_attr:
 *                            bytes and packets so far, ADD_SECONDS since the
 *                            SA was added, USE_SECONDS since its first use
 *                            (absent before it).
 * KIPSEC_SA_A_SEQ_OUT        u64: last sequence number sent (the next packet
 *                            gets SEQ_OUT + 1). Accepted when an SA is
 *                            created or a larval one completed, e.g. to
 *                            move an SA between gateways (HA) without
 *                            reusing numbers; 0 by default. At most
 *                            2^32 - 1 without ESN.
 * KIPSEC_SA_A_SEQ_IN         u64: highest sequence number seen, the right
 *                            edge of the anti-replay window (numbers left of
 *                            the window are refused, those inside it are
 *                            still accepted once). Same rules as SEQ_OUT.
 * KIPSEC_SA_A_STATS          nested, reply only, enum kipsec_sa_stats_attr
 * KIPSEC_SA_A_SELECTOR       nested: the traffic the SA may carry (RFC 4301
 *                            4.4.2.1), in the policy selector attributes
 *                            KIPSEC_POL_A_SRC, _DST (both required),
 *                            _SRC_PLEN, _DST_PLEN, _PROTO, _SPORT, _DPORT,
 *                            _ICMP_TYPE, _ICMP_CODE, with their meaning and
 *                            rules; no other attribute. Absent: any
 *                            traffic. Inbound, every SA that protected a
 *                            packet must have a selector matching the
 *                            decapsulated packet, or the packet is dropped
 *                            (KIPSEC_DROP_SELECTOR_MISMATCH): a peer cannot
 *                            send another CHILD_SA's traffic through its
 *                            own SA even when the policy's templates name
 *                            no reqid. Outbound, a template is resolved only
 *                            to SAs whose selector matches the packet. In
 *                            transport mode the selector's family is the
 *                            SA's; in tunnel mode it is the inner one.
 * KIPSEC_SA_A_ENCAP_SPORT, _ENCAP_DPORT  u16, 1 .. 65535, both or neither,
 *                            ESP only: the SA's packets travel in UDP
 *                            (RFC 3948 NAT traversal) from SPORT to DPORT,
 *                            as SRC and DST are written (an inbound SA's
 *                            SPORT is the peer's, its DPORT this host's;
 *                            usually 4500). Output sends UDP with checksum
 *                            0 over IPv4 (computed over IPv6). Input
 *                            takes UDP to (DST, DPORT) of any encapsulating
 *                            SA of the namespace as ESP when its first four
 *                            bytes are not zero, whether or not a socket
 *                            is bound to the port; four zero bytes (the
 *                            non-ESP marker: IKE) and anything to other
 *                            ports go on to the socket untouched, a NAT
 *                            keepalive (the single byte 0xff) is absorbed
 *                            (KIPSEC_DROP_NATT_KEEPALIVE). An SA with
 *                            encapsulation accepts ESP only in UDP to its
 *                            DPORT, one without only plain ESP
 *                            (KIPSEC_DROP_ENCAP_MISMATCH). Authenticated
 *                            packets from another address or source port
 *                            than SRC and SPORT are accepted and reported
 *                            once per new endpoint (KIPSEC_CMD_MAPPING);
 *                            output keeps sending to DST and DPORT until
 *                            the SA is changed. In transport mode the
 *                            inner TCP/UDP checksum, computed over
 *                            addresses a NAT rewrote, is not verified
 *                            (RFC 3948 3.1.2; ESP's ICV covers the data).
 *                            Not changed by SA_UPDATE of a full SA.
 *
 * Algorithm attributes (KIPSEC_SA_A_ENCR, KIPSEC_SA_A_INTEG)
 * ==========================================================
 * KIPSEC_ALG_A_ID            u16: IANA IKEv2 transform ID (RFC 7296 3.3.2;
 *                            transform type 1 for ENCR, 3 for INTEG)
 * KIPSEC_ALG_A_KEY           binary: the key (and salt), at most
 *                            KIPSEC_KEY_MAX bytes; its length selects the
 *                            key size where the transform has several.
 * Supported ENCR: 3 (3DES, legacy), 11 (NULL), 12 (AES-CBC), 13 (AES-CTR),
 * 14/15/16 (AES-CCM 8/12/16), 18/19/20 (AES-GCM 8/12/16), 21 (AES-GMAC),
 * 28 (ChaCha20-Poly1305). Supported INTEG: 1 (HMAC-MD5-96, legacy),
 * 2 (HMAC-SHA1-96), 5 (AES-XCBC-96), 9/10/11 (AES-GMAC, AH only),
 * 12 (HMAC-SHA2-256-128), 13 (HMAC-SHA2-384-192), 14 (HMAC-SHA2-512-256).
 *
 * Lifetime attributes (enum kipsec_lifetime_attr), all u64
 * ========================================================
 * KIPSEC_LT_A_BYTES, _PACKETS, _ADD_SECONDS (since the SA was added),
 * _USE_SECONDS (since its first packet).
 *
 * SA statistics (KIPSEC_SA_A_STATS), all u64
 * ==========================================
 * KIPSEC_SAS_A_PACKETS_IN, _BYTES_IN, _PACKETS_OUT, _BYTES_OUT,
 * _REPLAY_DROPS, _INTEGRITY_FAILS, _OTHER_DROPS
 * KIPSEC_SAS_A_REPLAY_TOO_OLD  of the replay drops, those left of the window
 *                            (the rest were duplicates)
 * KIPSEC_SAS_A_REPLAY_MAX_LAG  the furthest behind the window's right edge
 *                            such a packet was, in sequence numbers: a lag
 *                            just past the window is reordering on the
 *                            path; a huge one, a stale sender
 *
 * Policy attributes (KIPSEC_A_POLICY)
 * ===================================
 * KIPSEC_POL_A_DIR           u8: enum kipsec_dir
 * KIPSEC_POL_A_SRC, _DST     binary, 4 or 16 bytes (selector addresses)
 * KIPSEC_POL_A_SRC_PLEN, _DST_PLEN  u8: prefix lengths (default: the full
 *                            address); bits beyond them must be zero
 * KIPSEC_POL_A_PROTO         u8: upper-layer protocol; absent: any
 * KIPSEC_POL_A_SPORT, _DPORT u16: TCP/UDP/SCTP/UDP-Lite ports; absent: any
 * KIPSEC_POL_A_ICMP_TYPE, _ICMP_CODE  u8: for ICMP/ICMPv6; absent: any
 * KIPSEC_POL_A_ACTION        u8: enum kipsec_action
 * KIPSEC_POL_A_PRIORITY      u32: lower is looked at first (default
 *                            KIPSEC_POLICY_PRIORITY_DEFAULT, setkey's
 *                            "prio def", so a client that sets none ranks
 *                            with setkey files that set none).
 *                            Among equal priorities the policy added first
 *                            is looked at first, as in Linux's SPD (RFC
 *                            4301 4.4.1: an ordered list), whatever the
 *                            selectors: a broad policy added before a
 *                            narrower one hides it.
 * KIPSEC_POL_A_TEMPLATES     nested: KIPSEC_POL_A_TEMPLATE entries, in the
 *                            order they are applied on output (at most
 *                            KIPSEC_TEMPLATES_MAX)
 * KIPSEC_POL_A_TEMPLATE      nested, enum kipsec_tmpl_attr
 * KIPSEC_POL_A_INDEX         u32: the module's name for the policy
 * KIPSEC_POL_A_SA_SPI        u32: POLICY_DEL: the instance to remove
 * KIPSEC_POL_A_INSTANCES     u32, reply only: how many instances are stacked
 * KIPSEC_POL_A_IDLE_SECONDS  u64, reply only (GET replies, dumps, events,
 *                            ACQUIRE): seconds since a packet last matched
 *                            the policy (any instance; the outbound lookup,
 *                            or the inbound check of plaintext or of
 *                            decapsulated packets); absent while no packet
 *                            has matched it since it was created.
 *                            POLICY_UPDATE and stacking keep it. An IKE
 *                            daemon's query_policy: is the CHILD_SA idle,
 *                            is a DPD due?
 * KIPSEC_POL_A_PAD           padding for 64-bit attributes (never in
 *                            requests)
 *
 * Template attributes (KIPSEC_POL_A_TEMPLATE)
 * ===========================================
 * KIPSEC_TMPL_A_PROTO        u8: IPPROTO_ESP or IPPROTO_AH
 * KIPSEC_TMPL_A_MODE         u8: enum kipsec_mode
 * KIPSEC_TMPL_A_SRC, _DST    binary: tunnel endpoints (required for tunnel
 *                            mode, not allowed in transport mode)
 * KIPSEC_TMPL_A_LEVEL        u8: enum kipsec_level (default require)
 * KIPSEC_TMPL_A_REQID        u32: the SA must carry this reqid (0: any)
 * KIPSEC_TMPL_A_SPI          u32: the SA must have this SPI (0: any)
 */
#ifndef _UAPI_LINUX_KIPSEC_H
#define _UAPI_LINUX_KIPSEC_H

#define KIPSEC_GENL_NAME	"kipsec"
#define KIPSEC_GENL_VERSION	1
#define KIPSEC_MCGRP_EVENTS	"events"
#define KIPSEC_REPLAY_WINDOW_DEFAULT	1024
#define KIPSEC_POLICY_PRIORITY_DEFAULT	0x80000000u
#define KIPSEC_REPLAY_WINDOW_MAX	65536
#define KIPSEC_KEY_MAX			64
#define KIPSEC_TEMPLATES_MAX		4
#define KIPSEC_POLICY_INSTANCES_MAX	4
#define KIPSEC_LARVAL_SECONDS		30
#define KIPSEC_SOCKET_BYPASS_MAX	16

enum kipsec_cmd {
	KIPSEC_CMD_UNSPEC,
	KIPSEC_CMD_STATS_GET,
	KIPSEC_CMD_SA_NEW,
	KIPSEC_CMD_SA_UPDATE,
	KIPSEC_CMD_SA_GET,
	KIPSEC_CMD_SA_DEL,
	KIPSEC_CMD_SA_FLUSH,
	KIPSEC_CMD_SA_ALLOC_SPI,
	KIPSEC_CMD_POLICY_NEW,
	KIPSEC_CMD_POLICY_UPDATE,
	KIPSEC_CMD_POLICY_GET,
	KIPSEC_CMD_POLICY_DEL,
	KIPSEC_CMD_POLICY_FLUSH,
	KIPSEC_CMD_EXPIRE,
	KIPSEC_CMD_ACQUIRE,
	KIPSEC_CMD_SOCKET_BYPASS,
	KIPSEC_CMD_MAPPING,	/* event only */
	__KIPSEC_CMD_MAX
};
#define KIPSEC_CMD_MAX (__KIPSEC_CMD_MAX - 1)

enum kipsec_attr {
	KIPSEC_A_UNSPEC,
	KIPSEC_A_PAD,
	KIPSEC_A_STATS_DROPS,
	KIPSEC_A_SA,
	KIPSEC_A_POLICY,
	KIPSEC_A_SA_PROTO_FILTER,
	KIPSEC_A_EXPIRE_HARD,
	KIPSEC_A_SA_NO_KEYS,
	KIPSEC_A_POLICY_STACK,
	KIPSEC_A_SOCKET_COOKIE,
	KIPSEC_A_MAPPING_ADDR,
	KIPSEC_A_MAPPING_PORT,
	KIPSEC_A_STATS_ENCAP,
	__KIPSEC_A_MAX
};
#define KIPSEC_A_MAX (__KIPSEC_A_MAX - 1)

enum kipsec_sa_attr {
	KIPSEC_SA_A_UNSPEC,
	KIPSEC_SA_A_PAD,
	KIPSEC_SA_A_PROTO,
	KIPSEC_SA_A_SPI,
	KIPSEC_SA_A_SRC,
	KIPSEC_SA_A_DST,
	KIPSEC_SA_A_MODE,
	KIPSEC_SA_A_REQID,
	KIPSEC_SA_A_REPLAY_WINDOW,
	KIPSEC_SA_A_FLAGS,
	KIPSEC_SA_A_ENCR,
	KIPSEC_SA_A_INTEG,
	KIPSEC_SA_A_LIFETIME_SOFT,
	KIPSEC_SA_A_LIFETIME_HARD,
	KIPSEC_SA_A_TUNNEL_DF,
	KIPSEC_SA_A_SPI_MIN,
	KIPSEC_SA_A_SPI_MAX,
	KIPSEC_SA_A_STATE,
	KIPSEC_SA_A_CURRENT,
	KIPSEC_SA_A_SEQ_OUT,
	KIPSEC_SA_A_SEQ_IN,
	KIPSEC_SA_A_STATS,
	KIPSEC_SA_A_SELECTOR,
	KIPSEC_SA_A_ENCAP_SPORT,
	KIPSEC_SA_A_ENCAP_DPORT,
	__KIPSEC_SA_A_MAX
};
#define KIPSEC_SA_A_MAX (__KIPSEC_SA_A_MAX - 1)

enum kipsec_alg_attr {
	KIPSEC_ALG_A_UNSPEC,
	KIPSEC_ALG_A_ID,
	KIPSEC_ALG_A_KEY,
	__KIPSEC_ALG_A_MAX
};
#define KIPSEC_ALG_A_MAX (__KIPSEC_ALG_A_MAX - 1)

enum kipsec_lifetime_attr {
	KIPSEC_LT_A_UNSPEC,
	KIPSEC_LT_A_PAD,
	KIPSEC_LT_A_BYTES,
	KIPSEC_LT_A_PACKETS,
	KIPSEC_LT_A_ADD_SECONDS,
	KIPSEC_LT_A_USE_SECONDS,
	__KIPSEC_LT_A_MAX
};
#define KIPSEC_LT_A_MAX (__KIPSEC_LT_A_MAX - 1)

enum kipsec_sa_stats_attr {
	KIPSEC_SAS_A_UNSPEC,
	KIPSEC_SAS_A_PAD,
	KIPSEC_SAS_A_PACKETS_IN,
	KIPSEC_SAS_A_BYTES_IN,
	KIPSEC_SAS_A_PACKETS_OUT,
	KIPSEC_SAS_A_BYTES_OUT,
	KIPSEC_SAS_A_REPLAY_DROPS,
	KIPSEC_SAS_A_INTEGRITY_FAILS,
	KIPSEC_SAS_A_OTHER_DROPS,
	KIPSEC_SAS_A_REPLAY_TOO_OLD,
	KIPSEC_SAS_A_REPLAY_MAX_LAG,
	__KIPSEC_SAS_A_MAX
};
#define KIPSEC_SAS_A_MAX (__KIPSEC_SAS_A_MAX - 1)

/*
 * KIPSEC_A_STATS_ENCAP: packets of this namespace in UDP encapsulation:
 * ESP taken out of UDP (before authentication) and put into it, and
 * packets with the non-ESP marker passed on to the port's socket.
 */
enum kipsec_encap_stats_attr {
	KIPSEC_ENCS_A_UNSPEC,
	KIPSEC_ENCS_A_PAD,
	KIPSEC_ENCS_A_ESP_IN,
	KIPSEC_ENCS_A_ESP_OUT,
	KIPSEC_ENCS_A_IKE_IN,
	__KIPSEC_ENCS_A_MAX
};
#define KIPSEC_ENCS_A_MAX (__KIPSEC_ENCS_A_MAX - 1)

enum kipsec_pol_attr {
	KIPSEC_POL_A_UNSPEC,
	KIPSEC_POL_A_DIR,
	KIPSEC_POL_A_SRC,
	KIPSEC_POL_A_DST,
	KIPSEC_POL_A_SRC_PLEN,
	KIPSEC_POL_A_DST_PLEN,
	KIPSEC_POL_A_PROTO,
	KIPSEC_POL_A_SPORT,
	KIPSEC_POL_A_DPORT,
	KIPSEC_POL_A_ICMP_TYPE,
	KIPSEC_POL_A_ICMP_CODE,
	KIPSEC_POL_A_ACTION,
	KIPSEC_POL_A_PRIORITY,
	KIPSEC_POL_A_TEMPLATES,
	KIPSEC_POL_A_TEMPLATE,
	KIPSEC_POL_A_INDEX,
	KIPSEC_POL_A_SA_SPI,
	KIPSEC_POL_A_INSTANCES,
	KIPSEC_POL_A_IDLE_SECONDS,
	KIPSEC_POL_A_PAD,
	__KIPSEC_POL_A_MAX
};
#define KIPSEC_POL_A_MAX (__KIPSEC_POL_A_MAX - 1)

enum kipsec_tmpl_attr {
	KIPSEC_TMPL_A_UNSPEC,
	KIPSEC_TMPL_A_PROTO,
	KIPSEC_TMPL_A_MODE,
	KIPSEC_TMPL_A_SRC,
	KIPSEC_TMPL_A_DST,
	KIPSEC_TMPL_A_LEVEL,
	KIPSEC_TMPL_A_REQID,
	KIPSEC_TMPL_A_SPI,
	__KIPSEC_TMPL_A_MAX
};
#define KIPSEC_TMPL_A_MAX (__KIPSEC_TMPL_A_MAX - 1)

enum kipsec_mode {
	KIPSEC_MODE_TRANSPORT,
	KIPSEC_MODE_TUNNEL,
};

/* KIPSEC_SA_A_FLAGS */
enum kipsec_sa_flags {
	KIPSEC_SA_F_ESN = 1 << 0,		/* 64-bit sequence numbers (RFC 4304) */
	KIPSEC_SA_F_NO_DSCP_COPY = 1 << 1,	/* tunnel: outer DSCP 0, not the inner's */
	KIPSEC_SA_F_NO_ECN = 1 << 2,		/* tunnel: no ECN propagation (RFC 6040 off) */
};
#define KIPSEC_SA_F_ALL (KIPSEC_SA_F_ESN | KIPSEC_SA_F_NO_DSCP_COPY | \
			 KIPSEC_SA_F_NO_ECN)

/* KIPSEC_SA_A_TUNNEL_DF: the outer IPv4 header's DF bit in tunnel mode */
enum kipsec_df {
	KIPSEC_DF_COPY,		/* from the inner IPv4 header (set for IPv6) */
	KIPSEC_DF_SET,
	KIPSEC_DF_CLEAR,
};

enum kipsec_sa_state {
	KIPSEC_SA_LARVAL,	/* SPI reserved, no keys yet */
	KIPSEC_SA_MATURE,
	KIPSEC_SA_EXPIRED,	/* hard lifetime reached, being removed */
};

enum kipsec_dir {
	KIPSEC_DIR_IN,
	KIPSEC_DIR_OUT,
	KIPSEC_DIR_FWD,
};

enum kipsec_action {
	KIPSEC_ACTION_DISCARD,
	KIPSEC_ACTION_BYPASS,	/* setkey "none" */
	KIPSEC_ACTION_IPSEC,
};

/*
 * KIPSEC_TMPL_A_LEVEL (RFC 2367 / setkey levels):
 * use: the SA is applied when one exists, otherwise the packet goes in
 * clear (out) / is accepted without it (in); require: no SA, no packet;
 * default: as require (what Linux's setkey gives it); unique: like
 * require, with an SA used only by this policy.
 */
enum kipsec_level {
	KIPSEC_LEVEL_DEFAULT,
	KIPSEC_LEVEL_USE,
	KIPSEC_LEVEL_REQUIRE,
	KIPSEC_LEVEL_UNIQUE,
};

/*
 * Why a packet was dropped. Each reason has a per-namespace counter
 * (KIPSEC_CMD_STATS_GET, /proc/net/kipsec_stat, `kipsec stats`).
 *
 * KIPSEC_DROP_POLICY_DISCARD   a policy with action discard matched
 * KIPSEC_DROP_NO_SA_OUT        an ipsec policy's required SA is missing
 *                              (an ACQUIRE is sent to the IKE daemon)
 * KIPSEC_DROP_SEQ_EXHAUSTED    the SA's outbound sequence number would wrap
 * KIPSEC_DROP_SA_EXPIRED       the SA reached its hard lifetime
 * KIPSEC_DROP_NO_SA_IN         ESP/AH for an SPI with no SA here
 * KIPSEC_DROP_REPLAY           sequence number already seen or left of the
 *                              anti-replay window
 * KIPSEC_DROP_INTEGRITY        ICV verification failed
 * KIPSEC_DROP_BAD_PADDING      ESP padding or pad length invalid
 * KIPSEC_DROP_MALFORMED        truncated or unparsable ESP/AH/IP header
 * KIPSEC_DROP_POLICY_MISMATCH  the protection applied differs from what the
 *                              inbound policy requires (for a bundle: not
 *                              exactly its templates, in order)
 * KIPSEC_DROP_UNPROTECTED      plaintext matched a policy requiring IPsec
 * KIPSEC_DROP_SELECTOR_MISMATCH  the decapsulated packet is outside the
 *                              selector of an SA that protected it, or
 *                              (tunnel mode) outside every inbound policy
 * KIPSEC_DROP_TOO_BIG          does not fit the path MTU and may not be
 *                              fragmented (an ICMP error was sent)
 * KIPSEC_DROP_NO_ROUTE         no route for the outer (tunnel) header
 * KIPSEC_DROP_NO_MEMORY        an allocation failed
 * KIPSEC_DROP_CRYPTO_ERROR     the crypto API failed for another reason
 * KIPSEC_DROP_DUMMY            an ESP dummy packet (next header 59, RFC
 *                              4303 2.6): dropped by design, counted here
 * KIPSEC_DROP_CONNTRACK        conntrack refused to confirm the plaintext's
 *                              connection before it left encrypted (an
 *                              insert clash; conntrack counts it as well)
 * KIPSEC_DROP_CRYPTO_BUSY      the crypto engine's queue was full (an
 *                              asynchronous engine such as cryptd or
 *                              hardware): dropped rather than queued
 *                              without bound
 * KIPSEC_DROP_ROUTE_GONE       the packet's route was being released (routes
 *                              flushed, a link going down) and could not be
 *                              held across the crypto wait
 * KIPSEC_DROP_ENCAP_MALFORMED  UDP to an encapsulation port (see
 *                              KIPSEC_SA_A_ENCAP_SPORT) whose length field
 *                              disagrees with the packet, or too short to
 *                              be ESP, a non-ESP marker or a keepalive
 * KIPSEC_DROP_ENCAP_NO_SA      ESP in UDP to an encapsulation port for an
 *                              SPI with no SA here
 * KIPSEC_DROP_ENCAP_MISMATCH   ESP in UDP for an SA without encapsulation
 *                              or with another port, or plain ESP for an SA
 *                              with encapsulation
 * KIPSEC_DROP_NATT_KEEPALIVE   a NAT keepalive (RFC 3948 2.3), absorbed: it
 *                              only keeps the NAT's mapping open
 */
enum kipsec_drop_reason {
	KIPSEC_DROP_UNSPEC,
	KIPSEC_DROP_POLICY_DISCARD,
	KIPSEC_DROP_NO_SA_OUT,
	KIPSEC_DROP_SEQ_EXHAUSTED,
	KIPSEC_DROP_SA_EXPIRED,
	KIPSEC_DROP_NO_SA_IN,
	KIPSEC_DROP_REPLAY,
	KIPSEC_DROP_INTEGRITY,
	KIPSEC_DROP_BAD_PADDING,
	KIPSEC_DROP_MALFORMED,
	KIPSEC_DROP_POLICY_MISMATCH,
	KIPSEC_DROP_UNPROTECTED,
	KIPSEC_DROP_SELECTOR_MISMATCH,
	KIPSEC_DROP_TOO_BIG,
	KIPSEC_DROP_NO_ROUTE,
	KIPSEC_DROP_NO_MEMORY,
	KIPSEC_DROP_CRYPTO_ERROR,
	KIPSEC_DROP_DUMMY,
	KIPSEC_DROP_CONNTRACK,
	KIPSEC_DROP_CRYPTO_BUSY,
	KIPSEC_DROP_ROUTE_GONE,
	KIPSEC_DROP_ENCAP_MALFORMED,
	KIPSEC_DROP_ENCAP_NO_SA,
	KIPSEC_DROP_ENCAP_MISMATCH,
	KIPSEC_DROP_NATT_KEEPALIVE,
	__KIPSEC_DROP_MAX
};
#define KIPSEC_DROP_MAX (__KIPSEC_DROP_MAX - 1)

#endif /* _UAPI_LINUX_KIPSEC_H */
