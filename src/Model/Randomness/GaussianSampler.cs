namespace DelaySim.Model.Randomness;

/// <summary>
/// How synthetic rows draw their standard normals (<c>data.synthetic.sampler</c>): the same law, different numbers from
/// the same stream. <see cref="Polar"/> (Marsaglia's polar method, <see cref="Rng.FillGaussian"/>) is the default, and
/// what every earlier run used; <see cref="Ziggurat"/> (<see cref="Randomness.Ziggurat"/>) draws about 3.5× faster.
/// </summary>
public enum GaussianSampler { Polar, Ziggurat }
