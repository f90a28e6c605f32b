import { PlatformApp } from 'cdk8s-openchoreo';
import { buildPlatform } from './platform';

const app = new PlatformApp();
buildPlatform(app);
app.synth();
