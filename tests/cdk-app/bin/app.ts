// The CDK app behind tests/fixtures/cdk.out: synthesized offline by ../synth.sh (no AWS
// account: the stack is environment-agnostic), its templates committed as fixtures.
import { App } from 'aws-cdk-lib';
import { FixtureStack } from '../lib/fixture-stack';

const app = new App();
new FixtureStack(app, 'FixtureStack', { analyticsReporting: false });
app.synth();
