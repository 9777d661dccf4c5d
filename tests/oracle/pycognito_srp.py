"""Known answers for Cognito's SRP from a third-party implementation: pycognito's AWSSRP (PyPI).

Reads a JSON list of cases on standard input, each with the client's secret `a`, the server's
`B`, `salt` (hex), `secret_block` (base64), `pool_id`, `user_id` (USER_ID_FOR_SRP), `password`,
`client_id`, `client_secret` and `time` (epoch seconds); prints, for each, what pycognito computes:
A, u, x, S (hex), the HKDF key (hex), the TIMESTAMP, PASSWORD_CLAIM_SIGNATURE and SECRET_HASH.

pycognito does not expose x and S: they are read from its own calls (`hex_hash`, the second hash
of `get_password_authentication_key`, gives x; `compute_hkdf` receives PAD(S) and PAD(u)), and
the signature comes from `process_challenge` with its clock set to the case's time.
Run by the ignored test `user_pool::srp::tests::agrees_with_pycognito` (see .ci/run).
"""

import datetime
import json
import sys

from pycognito import aws_srp

cases = json.load(sys.stdin)
out = []
for case in cases:
    fixed = datetime.datetime.fromtimestamp(case["time"], datetime.timezone.utc).replace(tzinfo=None)

    class FrozenDatetime(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return fixed

    class Clock:
        datetime = FrozenDatetime

    hashes = []
    real_hex_hash = aws_srp.hex_hash

    def recording_hex_hash(hex_string):
        value = real_hex_hash(hex_string)
        hashes.append(value)
        return value

    hkdf_inputs = []
    real_hkdf = aws_srp.compute_hkdf

    def recording_hkdf(ikm, salt):
        hkdf_inputs.append((bytes(ikm).hex(), bytes(salt).hex()))
        return real_hkdf(ikm, salt)

    aws_srp.hex_hash = recording_hex_hash
    aws_srp.compute_hkdf = recording_hkdf
    aws_srp.datetime = Clock
    try:
        srp = aws_srp.AWSSRP(
            username=case["user_id"],
            password=case["password"],
            pool_id=case["pool_id"],
            client_id=case["client_id"],
            pool_region="us-east-1",
            client_secret=case["client_secret"],
        )
        srp.small_a_value = int(case["a"], 16) % srp.big_n
        srp.large_a_value = srp.calculate_a()
        hashes.clear()
        b = int(case["b"], 16)
        key = srp.get_password_authentication_key(case["user_id"], case["password"], b, case["salt"])
        u_hash, x_hash = hashes[0], hashes[1]
        s_padded, _u_padded = hkdf_inputs[-1]
        response = srp.process_challenge(
            {
                "USER_ID_FOR_SRP": case["user_id"],
                "USERNAME": case["user_id"],
                "SALT": case["salt"],
                "SRP_B": case["b"],
                "SECRET_BLOCK": case["secret_block"],
            },
            {"USERNAME": case["user_id"]},
        )
    finally:
        aws_srp.hex_hash = real_hex_hash
        aws_srp.compute_hkdf = real_hkdf
        aws_srp.datetime = datetime
    out.append(
        {
            "A": aws_srp.long_to_hex(srp.large_a_value),
            "u": aws_srp.long_to_hex(int(u_hash, 16)),
            "x": aws_srp.long_to_hex(int(x_hash, 16)),
            "S": aws_srp.long_to_hex(int(s_padded, 16)),
            "key": key.hex(),
            "timestamp": response["TIMESTAMP"],
            "signature": response["PASSWORD_CLAIM_SIGNATURE"],
            "secret_hash": response.get("SECRET_HASH"),
        }
    )
json.dump(out, sys.stdout)
