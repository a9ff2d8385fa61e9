// kind has no registry of its own: devenv loads images into the node, and a
// pod must then run what was loaded. `:latest` (or no tag) makes the default
// pull policy Always, so the kubelet tries a registry and fails
// (ErrImagePull), whatever was loaded.
import { parseImageRef } from '../../manifests/image-ref.ts';
import { containersOf } from '../../manifests/objects.ts';
import { finding, type ManifestFinding, type ManifestRule } from './rule.ts';

export const imagePullRule: ManifestRule = {
  id: 'image-pull',
  description: 'No image uses :latest or no tag with a pull policy that would pull on kind (Always, or unset which then defaults to Always).',
  check(ctx) {
    const out: ManifestFinding[] = [];
    for (const at of ctx.objects) {
      for (const { container, path } of containersOf(at.object)) {
        if (typeof container.image !== 'string' || container.image === '') continue;
        const ref = parseImageRef(container.image);
        const floating = !ref.digest && (!ref.tag || ref.tag === 'latest');
        const policy: string | undefined = container.imagePullPolicy;
        if (floating && (policy === undefined || policy === 'Always')) {
          out.push(
            finding('image-pull', 'error', at, [...path, 'image'], `container ${container.name} runs ${container.image}${policy ? ' with imagePullPolicy Always' : ', whose default pull policy is Always'}: kind's node would pull it from a registry instead of using the loaded image.`, 'pin a tag (one per build) and set imagePullPolicy: IfNotPresent.'),
          );
        } else if (floating && policy === 'IfNotPresent') {
          out.push(finding('image-pull', 'warn', at, [...path, 'image'], `container ${container.name} runs ${container.image} with imagePullPolicy IfNotPresent: a rebuilt image under the same tag never rolls out (the node keeps the one it has, and the pod spec does not change).`, 'tag every build with its own tag (a version or a content hash) and set that tag in the manifest.'));
        } else if (policy === 'Always') {
          out.push(finding('image-pull', 'warn', at, [...path, 'imagePullPolicy'], `container ${container.name} pulls ${container.image} on every start (imagePullPolicy Always), which fails offline and for images only loaded into kind.`, 'use imagePullPolicy: IfNotPresent.'));
        }
      }
    }
    return out;
  },
};
