// Test cases of Yelp's detect-secrets (https://github.com/Yelp/detect-secrets, Apache-2.0), transcribed
// from tests/plugins/<plugin>_test.py: each parametrised case there says whether the plugin must flag
// the line (`should_flag`, or the list it appears in: positives / negatives). Labels follow those
// expectations; where a case is a detector-format test whose "secret" a reviewer would call a
// placeholder or a published sample, the case says `relabelled` and why. Cases are copied verbatim.
//
// Each group is one corpus file: files/detect-secrets/<file>.

export const DETECT_SECRETS = {
  repository: 'https://github.com/Yelp/detect-secrets',
  licence: 'Apache-2.0',
  folder: 'tests/plugins',
};

/** @param {import('./build.mjs').CaseKit} k */
export function detectSecretsGroups(k) {
  const { tp, fp } = k;
  return [
    {
      // The standard negatives of the keyword plugin: a secret-like name with no secret after it. The
      // positives all carry one synthetic value, `m{{h}o)p${e]nob(ody[finds>-_$#thisone}}`, whose `${`
      // and `{{` are template syntax to any scanner that skips references: they are left out.
      file: 'keyword.txt', source: 'keyword_test.py', commit: '0e8925d685f1fe34a1e315045450cd678104648c', provider: 'Keyword (name + value)', category: 'generic',
      cases: [
        fp('theapikey := ""', 'placeholder', { rule: 'keyword', note: 'nothing in the quotes' }),
        fp('theapikey := "somefakekey"', 'placeholder', { rule: 'keyword', note: "'fake' in the value" }),
        fp('theapikeyforfoo := hopenobodyfindsthisone', 'not-a-secret', { rule: 'keyword', note: 'the name does not end in a keyword' }),
        fp('theapikey: ""', 'placeholder', { rule: 'keyword' }),
        fp('theapikey: "somefakekey"', 'placeholder', { rule: 'keyword' }),
        fp('theapikeyforfoo:hopenobodyfindsthisone', 'not-a-secret', { rule: 'keyword' }),
        fp('password: ${link}', 'placeholder', { rule: 'keyword', note: 'a reference' }),
        fp('theapikey[] = ""', 'placeholder', { rule: 'keyword' }),
        fp('theapikey = @"somefakekey"', 'placeholder', { rule: 'keyword' }),
        fp('some_key = "real_secret"', 'placeholder', { rule: 'keyword', note: "'key' alone is too noisy a keyword" }),
        fp('my_password = ""', 'placeholder', { rule: 'keyword' }),
        fp("my_password = ''", 'placeholder', { rule: 'keyword' }),
        fp('my_password = "fakesecret"', 'placeholder', { rule: 'keyword' }),
        fp('open(self, password = ""):', 'placeholder', { rule: 'keyword' }),
        fp('my_password = foo(hey)you', 'not-a-secret', { rule: 'keyword', note: 'a call' }),
        fp("my_password = request.json_body['hey']", 'not-a-secret', { rule: 'keyword', note: 'an expression' }),
        fp('my_password = True', 'not-a-secret', { rule: 'keyword' }),
        fp('login(username=username, password=password)', 'not-a-secret', { rule: 'keyword' }),
        fp('private_key "";', 'placeholder', { rule: 'keyword' }),
        fp(`private_key '"no spaces';`, 'not-a-secret', { rule: 'keyword' }),
        fp('private_key "fake";', 'placeholder', { rule: 'keyword' }),
        fp('private_key "some/dir/aint/a/secret";', 'not-a-secret', { rule: 'keyword', note: 'a path' }),
        fp('private_key "${FOO}";', 'placeholder', { rule: 'keyword' }),
        fp(`private_key "hopenobodyfindsthisone';`, 'not-a-secret', { rule: 'keyword', note: 'unbalanced quotes' }),
        fp(`private_key 'hopenobodyfindsthisone";`, 'not-a-secret', { rule: 'keyword', note: 'unbalanced quotes' }),
      ],
      skipped: ['every positive (one synthetic value containing ${ and {{ template syntax)', 'the negatives that hold only for code files with quotes required (kept: the standard ones, tested there on an unknown extension)'],
    },
    {
      file: 'keyword.js', source: 'keyword_test.py', commit: '0e8925d685f1fe34a1e315045450cd678104648c', provider: 'Keyword (name + value)', category: 'generic',
      cases: [
        fp('apiKey: this.apiKey,', 'not-a-secret', { rule: 'keyword', note: 'JavaScript negative: a property read' }),
        fp("apiKey: fs.readFileSync('foo',", 'not-a-secret', { rule: 'keyword', note: 'JavaScript negative: a file read' }),
      ],
    },
    {
      file: 'aws.txt', source: 'aws_key_test.py', commit: '7776f4be3f1de476296d6fa754c730a41613ee6a', provider: 'AWS', category: 'cloud',
      cases: [
        fp('AKIAZZZZZZZZZZZZZZZZ', 'placeholder', { rule: 'aws', relabelled: 'detect-secrets flags it (format test); sixteen Z are a placeholder' }),
        fp('akiazzzzzzzzzzzzzzzz', 'format-invalid', { rule: 'aws' }),
        fp('AKIAZZZ', 'format-invalid', { rule: 'aws' }),
      ],
    },
    {
      file: 'stripe.txt', source: 'stripe_key_test.py', commit: '5ca1d7ea770a9e79d4d9ecaa5ed2f519524c216f', provider: 'Stripe', category: 'payment',
      cases: [
        tp('sk_live_ReTllpYQYfIZu2Jnf2lAPFjD', { rule: 'stripe' }),
        tp('rk_live_5TcWfjKmJgpql9hjpRnwRXbT', { rule: 'stripe' }),
        fp('pk_live_j5krY8XTgIcDaHDb3YrsAfCl', 'not-a-secret', { rule: 'stripe', note: 'a publishable key: public by design' }),
        fp('sk_live_', 'placeholder', { rule: 'stripe' }),
      ],
    },
    {
      file: 'telegram.txt', source: 'telegram_token_test.py', commit: '462720710ec337300fab2b4f2290949c7ee141eb', provider: 'Telegram', category: 'chat',
      cases: [
        tp('110201543:AAHdqTcvCH1vGWJxfSe1ofSAs0K5PALDsaw', { rule: 'telegram', note: "Telegram's documented sample token with one character changed" }),
        tp('7213808860:AAH1bjqpKKW3maRSPAxzIU-0v6xNuq2-NjM', { rule: 'telegram' }),
        fp('foo:AAH1bjqpKKW3maRSPAxzIU-0v6xNuq2-NjM', 'format-invalid', { rule: 'telegram', note: 'no bot id' }),
        fp('foo', 'not-a-secret', { rule: 'telegram' }),
        fp('arn:aws:sns:aaa:111122223333:aaaaaaaaaaaaaaaaaaassssssddddddddddddd', 'not-a-secret', { rule: 'telegram', note: 'an AWS ARN' }),
      ],
      skipped: ['bot110201543:AAH… (should_flag False: a boundary test of the plugin\'s regex; in an api.telegram.org/bot<token> URL it is the token)'],
    },
    {
      file: 'discord.txt', source: 'discord_test.py', commit: '47e150e06ec1527b3de09c585fda2a29bd47096a', provider: 'Discord', category: 'chat',
      cases: [
        tp('MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs', { rule: 'discord', note: "from Discord's developer docs" }),
        tp('Nzk5MjgxNDk0NDc2NDU1OTg3.YABS5g.2lmzECVlZv3vv6miVnUaKPQi2wI', { rule: 'discord' }),
        tp('MZ1yGvKTjE0rY0cV8i47CjAa.uRHQPq.Xb1Mk2nEhe-4iUcrGOuegj57zMC', { rule: 'discord' }),
        tp('OTUyNED5MDk2MTMxNzc2MkEz.YjESug.UNf-1GhsIG8zWT409q2C7Bh_zWQ', { rule: 'discord' }),
        tp('OTUyNED5MDk2MTMxNzc2MkEz.GSroKE.g2MTwve8OnUAAByz8KV_ZTV1Ipzg4o_NmQWUMs', { rule: 'discord' }),
        tp('MTAyOTQ4MTN5OTU5MTDwMEcxNg.GSwJyi.sbaw8msOR3Wi6vPUzeIWy_P0vJbB0UuRVjH8l8', { rule: 'discord' }),
        tp('ATMyOTQ4MTN5OTU5MTDwMEcxNg.GSwJyi.sbaw8msOR3Wi6vPUzeIWy_P0vJbB0UuRVjH8l8', { rule: 'discord', note: 'the token starts at the 3rd character' }),
        tp('=MTAyOTQ4MTN5OTU5MTDwMEcxN.GSwJyi.sbaw8msOR3Wi6vPUzeIWy_P0vJbB0UuRVjH8l8', { rule: 'discord', note: 'the token starts at the 2nd character' }),
        tp('MTAyOTQ4MTN5OTU5MTDwMEcxNg.YjESug.UNf-1GhsIG8zWT409q2C7Bh_zWQ!4o_NmQWUMs', { rule: 'discord', note: "the token ends before the '!'" }),
        fp('MZ1yGvKTj0rY0cV8i47CjAa.uHQPq.Xb1Mk2nEhe-4icrGOuegj57zMC', 'format-invalid', { rule: 'discord', note: 'all segments too short' }),
        fp('MZ1yGvKTj0rY0cV8i47CjAa.uRHQPq.Xb1Mk2nEhe-4iUcrGOuegj57zMC', 'format-invalid', { rule: 'discord', note: 'first segment too short' }),
        fp('MZ1yGvKTjE0rY0cV8i47CjAa.uHQPq.Xb1Mk2nEhe-4iUcrGOuegj57zMC', 'format-invalid', { rule: 'discord', note: 'middle segment too short' }),
        fp('MZ1yGvKTjE0rY0cV8i47CjAa.uRHQPq.Xb1Mk2nEhe-4iUcrGOuegj57zM', 'format-invalid', { rule: 'discord', note: 'last segment too short' }),
        fp('MZ1yGvKTjE0rY0cV8i47CjAa.uRHQPq.Xb1Mk2nEhe,4iUcrGOuegj57zMC', 'format-invalid', { rule: 'discord', note: "invalid character ','" }),
        fp('PZ1yGvKTjE0rY0cV8i47CjAa.uRHQPq.Xb1Mk2nEhe-4iUcrGOuegj57zMC', 'format-invalid', { rule: 'discord', note: "invalid first character 'P'" }),
        fp('MTAyOTQ4MTN5OTU5MTDwMEcxNg0.GSwJyi.sbaw8msOR3Wi6vPUzeIWy_P0vJbB0UuRVjH8l8', 'format-invalid', { rule: 'discord', note: 'first segment one character too long' }),
      ],
    },
    {
      file: 'jwt.txt', source: 'jwt_test.py', commit: '5ca1d7ea770a9e79d4d9ecaa5ed2f519524c216f', provider: 'JWT', category: 'jwt',
      cases: [
        fp('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c', 'example-key', { rule: 'jwt', relabelled: "detect-secrets flags it (format test); it is jwt.io's published sample token" }),
        fp('eyJ0eXAiOiJKV1QiLA0KImFsZyI6IkhTMjU2In0.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ', 'example-key', { rule: 'jwt', relabelled: "detect-secrets flags it; jwt.io's sample claims and no signature" }),
        fp('eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJuYW1lIjoiSm9lIiwKInN0YXR1cyI6ImVtcGxveWVlIgp9', 'format-invalid', { rule: 'jwt', relabelled: 'detect-secrets flags it; header and claims without a signature cannot authenticate' }),
        fp('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IsWww6HFkcOtIMOWxZHDqcOoIiwiaWF0IjoxNTE2MjM5MDIyfQ.k5HibI_uLn_RTuPcaCNkaVaQH2y5q6GvJg8GPpGMRwQ', 'example-key', { rule: 'jwt', relabelled: "detect-secrets flags it; jwt.io's sample subject and issue time with another name" }),
        fp('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ', 'example-key', { rule: 'jwt', relabelled: "detect-secrets flags it; jwt.io's sample without its signature" }),
        fp('{"alg":"HS256","typ":"JWT"}.{"name":"Jon Doe"}.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c', 'format-invalid', { rule: 'jwt' }),
        fp('bm90X3ZhbGlkX2pzb25fYXRfYWxs.bm90X3ZhbGlkX2pzb25fYXRfYWxs.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c', 'format-invalid', { rule: 'jwt' }),
        fp('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', 'format-invalid', { rule: 'jwt', note: 'a header alone' }),
        fp('jwt', 'not-a-secret', { rule: 'jwt' }),
        fp('eyJhbasdGciOiJIUaddasdasfsasdasdzI1NiIasdsInR5cCI6IkpXVCasdJasd9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c', 'format-invalid', { rule: 'jwt', note: 'the header is not JSON' }),
        fp('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c', 'format-invalid', { rule: 'jwt', note: 'the header is not JSON' }),
        fp('eyJAAAA.eyJBBB', 'format-invalid', { rule: 'jwt' }),
        fp('eyJBB.eyJCC.eyJDDDD', 'format-invalid', { rule: 'jwt' }),
      ],
      skipped: ['the u"" literal repeat of the first case'],
    },
    {
      file: 'basic-auth.txt', source: 'basic_auth_test.py', commit: '5ca1d7ea770a9e79d4d9ecaa5ed2f519524c216f', provider: 'Password in a URL', category: 'password',
      cases: [
        fp('https://username:password@yelp.com', 'placeholder', { rule: 'basic-auth', relabelled: 'detect-secrets flags it (format test); username:password is the textbook placeholder' }),
        fp('http://localhost:5000/<%= @variable %>', 'not-a-secret', { rule: 'basic-auth' }),
        fp('"https://url:8000";@something else', 'not-a-secret', { rule: 'basic-auth' }),
        fp("'https://url:8000';@something else", 'not-a-secret', { rule: 'basic-auth' }),
        fp('https://url:8000 @something else', 'not-a-secret', { rule: 'basic-auth' }),
        fp('https://url:8000/ @something else', 'not-a-secret', { rule: 'basic-auth' }),
      ],
    },
  ];
}
