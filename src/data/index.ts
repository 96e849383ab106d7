export { type Dataset, sampleSize, makeDataset, sampleAt, takeSamples, sliceSamples, classCounts, reshapeSamples } from './dataset.js';
export { type IdxArray, parseIdx, readIdxFile, encodeIdx } from './idx.js';
export {
  type MnistSplit,
  type MnistOptions,
  type MnistRaw,
  packagedMnistDir,
  defaultMnistDir,
  mnistFiles,
  readMnistRaw,
  loadMnist,
  loadMnistSplits,
} from './mnist.js';
export {
  type FilterOptions,
  type Standardizer,
  type MinMaxScaler,
  filterClasses,
  downsampleArea,
  resizeBilinear,
  binarize,
  normalizeL2,
  fitStandardizer,
  standardize,
  fitMinMax,
  minMaxScale,
  flatten,
} from './transforms.js';
export { type Pca, type PcaOptions, covarianceMatrix, fitPca, pcaTransform, pcaInverse } from './pca.js';
export { type SymmetricEigen, symmetricEigen } from './symmetricEigen.js';
export { type SplitOptions, permutation, shuffle, trainValidationSplit, limitPerClass } from './split.js';
export { type ChannelNorm, fitChannelNorm, applyChannelNorm, applyChannelNormTo, checkChannelNorm } from './channelNorm.js';
