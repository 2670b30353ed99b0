import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';

interface Validatable {
  validate(): void;
}
type Model = new (data: never) => Validatable;

/** The kinds infra/k8s uses, each checked against its OpenAPI schema. */
const MODELS: Record<string, Model> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
};

/** A validator for the manifest's apiVersion and kind: throws when the manifest does not fit. */
export function kubernetesModel(
  apiVersion: string | undefined,
  kind: string | undefined,
): ((doc: unknown) => void) | undefined {
  const model = MODELS[`${apiVersion ?? ''}/${kind ?? ''}`];
  return model ? (doc) => new model(doc as never).validate() : undefined;
}
