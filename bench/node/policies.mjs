// The synthetic key policies of bench/fixtures.rs, byte for byte (the
// sizes are checked below): ten statements in the CloudTrail document's
// shape, and the same grown to KMS's 32 KB limit.

export const KEY_ARN =
  "arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
export const KEY_POLICY_MAX_BYTES = 32 * 1024;

function statements10() {
  const s = [];
  s.push('{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"kms:*","Resource":"*"}');
  s.push('{"Sid":"Allow CloudTrail to encrypt logs","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*","Condition":{"StringEquals":{"aws:SourceArn":"arn:aws:cloudtrail:us-west-2:111111111111:trail/Default"},"StringLike":{"kms:EncryptionContext:aws:cloudtrail:arn":"arn:aws:cloudtrail:*:111111111111:trail/*"}}}');
  s.push('{"Sid":"Allow CloudTrail to describe key","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:DescribeKey","Resource":"*","Condition":{"StringEquals":{"aws:SourceArn":"arn:aws:cloudtrail:us-west-2:111111111111:trail/Default"}}}');
  for (let i = 0; i < 6; i++) {
    s.push(`{"Sid":"Allow principals in the account to decrypt log files ${i}","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::22222222222${i}:root"},"Action":["kms:Decrypt","kms:ReEncryptFrom"],"Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"22222222222${i}"},"StringLike":{"kms:EncryptionContext:aws:cloudtrail:arn":"arn:aws:cloudtrail:*:111111111111:trail/*"}}}`);
  }
  s.push('{"Sid":"Enable cross account log decryption","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::333333333333:root"},"Action":"kms:Decrypt","Resource":"*","Condition":{"Null":{"kms:EncryptionContext:aws:cloudtrail:arn":"false"}}}');
  return s;
}

const doc = (stmts) => `{"Version":"2012-10-17","Statement":[${stmts.join(",")}]}`;

export function tenStatements() {
  return doc(statements10());
}

export function atLimit() {
  const one = '{"Sid":"Reader NNNN","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444444444444:user/readerNNNN"},"Action":["kms:Decrypt","kms:DescribeKey"],"Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"s3.us-west-2.amazonaws.com"},"Null":{"kms:EncryptionContext:aws:cloudtrail:arn":"false"}}}';
  const stmts = [statements10().join(",")];
  for (let i = 0; ; i++) {
    const next = one.replaceAll("NNNN", String(i).padStart(4, "0"));
    if (doc([...stmts, next]).length > KEY_POLICY_MAX_BYTES) break;
    stmts.push(next);
  }
  return doc(stmts);
}

export const aliceIdentityPolicy = () =>
  `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"${KEY_ARN}"}]}`;

export const ALICE_REQUEST = '{"name":"Alice reads a trail log file","principal":"arn:aws:iam::333333333333:user/Alice","action":"kms:Decrypt","encryption_context":{"aws:cloudtrail:arn":"arn:aws:cloudtrail:us-west-2:111111111111:trail/Default"}}';

export const playgroundFile = (policy) =>
  `{"version":1,"key":{"arn":"${KEY_ARN}","policy":${policy}},"identities":[{"arn":"arn:aws:iam::333333333333:user/Alice","policies":[${aliceIdentityPolicy()}]}],"requests":[${ALICE_REQUEST}]}`;

// The sizes bench/README.md gives for the Rust fixtures.
if (tenStatements().length !== 3207 || atLimit().length !== 32709) {
  throw new Error(`policies.mjs no longer mirrors bench/fixtures.rs: ${tenStatements().length}, ${atLimit().length}`);
}
