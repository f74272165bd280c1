"""Packets built by hand for the attack tests: IPv4 headers with a correct
checksum, ICMP echoes, and ESP sealed with AES-GCM (RFC 4106) under a
known key, so a packet can carry a valid ICV and still be wrong inside
(padding, next header, inner addresses)."""
import socket
import struct

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ESP_HDR_LEN, GCM_IV_LEN, GCM_ICV_LEN = 8, 8, 16


def checksum(data):
    """The Internet checksum (RFC 1071) of @data."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ipv4(src, dst, proto, payload, ident=0x4b49):
    """An IPv4 packet (no options) carrying @payload."""
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0,
                      64, proto, 0, socket.inet_aton(src),
                      socket.inet_aton(dst))
    return hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:] + payload


def icmp_echo(ident, seq, data=b"kipsec"):
    """An ICMP echo request."""
    body = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + data
    return body[:2] + struct.pack("!H", checksum(body)) + body[4:]


def padding(n):
    """The padding RFC 4303 2.4 prescribes: 1, 2, 3, ..."""
    return bytes(range(1, n + 1))


def esp_plain(payload, next_header, pad=None, pad_len=None):
    """Payload || Padding || Pad Length || Next Header. By default the
    minimum valid padding for GCM's 4-byte alignment; @pad replaces the
    padding bytes, @pad_len the Pad Length byte (to build bad trailers).
    The result is always 4-byte aligned, so only the trailer is wrong."""
    if pad is None:
        pad = padding(-(len(payload) + 2) % 4)
    plain = payload + pad + bytes([len(pad) if pad_len is None else pad_len,
                                   next_header])
    if len(plain) % 4:
        raise ValueError("ESP plaintext of %d bytes is not 4-byte aligned"
                         % len(plain))
    return plain


def esp_gcm(key, spi, seq, plain, iv=None):
    """ESP header, IV, ciphertext and ICV for @plain under AES-GCM-16
    (RFC 4106): @key ends with the 4-byte salt; nonce = salt || IV;
    AAD = SPI || sequence number (no ESN)."""
    iv = iv if iv is not None else struct.pack("!Q", seq)
    hdr = struct.pack("!II", spi, seq)
    return hdr + iv + AESGCM(key[:-4]).encrypt(key[-4:] + iv, plain, hdr)
