// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {BlackScholes} from "../libraries/BlackScholes.sol";
import {HiMath} from "../libraries/HiMath.sol";
import {NormalDist} from "../libraries/NormalDist.sol";

/// @notice Test harness exposing NormalDist and BlackScholes: single calls, gas-measuring calls
/// (gasleft() difference around the internal call) and batch calls over arrays.
contract PricingHarness {
    error LengthMismatch();

    function cdf(int256 x) external pure returns (uint256) {
        return NormalDist.cdf(x);
    }

    function cdfHi(int256 x) external pure returns (uint256) {
        return NormalDist.cdfHi(x);
    }

    function pdf(int256 x) external pure returns (uint256) {
        return NormalDist.pdf(x);
    }

    function quote(uint256 spot, uint256 strike, uint256 tau, uint256 vol, uint256 rate)
        external
        pure
        returns (BlackScholes.Quote memory)
    {
        return BlackScholes.quote(spot, strike, tau, vol, rate);
    }

    function yearsFromSeconds(uint256 secs) external pure returns (uint256) {
        return BlackScholes.yearsFromSeconds(secs);
    }

    function timeToExpiry(uint256 expiry, uint256 nowTs) external pure returns (uint256) {
        return BlackScholes.timeToExpiry(expiry, nowTs);
    }

    function expNegHi(uint256 y) external pure returns (uint256) {
        return HiMath.expNeg(y);
    }

    // ---- batches ----

    function expNegHiBatch(uint256[] calldata expArgs) external pure returns (uint256[] memory exps) {
        exps = new uint256[](expArgs.length);
        for (uint256 i; i < expArgs.length; ++i) {
            exps[i] = HiMath.expNeg(expArgs[i]);
        }
    }

    function cdfBatch(int256[] calldata xs) external pure returns (uint256[] memory wad, uint256[] memory hi) {
        wad = new uint256[](xs.length);
        hi = new uint256[](xs.length);
        for (uint256 i; i < xs.length; ++i) {
            wad[i] = NormalDist.cdf(xs[i]);
            hi[i] = NormalDist.cdfHi(xs[i]);
        }
    }

    function pdfAndCdfHiBatch(int256[] calldata xs)
        external
        pure
        returns (uint256[] memory densities, uint256[] memory cdfs)
    {
        densities = new uint256[](xs.length);
        cdfs = new uint256[](xs.length);
        for (uint256 i; i < xs.length; ++i) {
            (densities[i], cdfs[i]) = NormalDist.pdfAndCdfHi(xs[i]);
        }
    }

    function pdfBatch(int256[] calldata xs) external pure returns (uint256[] memory out) {
        out = new uint256[](xs.length);
        for (uint256 i; i < xs.length; ++i) {
            out[i] = NormalDist.pdf(xs[i]);
        }
    }

    function quoteBatch(
        uint256[] calldata spot,
        uint256[] calldata strike,
        uint256[] calldata tau,
        uint256[] calldata vol,
        uint256[] calldata rate
    ) external pure returns (BlackScholes.Quote[] memory out) {
        uint256 n = spot.length;
        if (strike.length != n || tau.length != n || vol.length != n || rate.length != n) revert LengthMismatch();
        out = new BlackScholes.Quote[](n);
        for (uint256 i; i < n; ++i) {
            out[i] = BlackScholes.quote(spot[i], strike[i], tau[i], vol[i], rate[i]);
        }
    }

    // ---- gas (gasleft() difference around the internal call) ----

    function gasCdf(int256 x) external view returns (uint256 value, uint256 gasUsed) {
        gasUsed = gasleft();
        value = NormalDist.cdf(x);
        unchecked {
            gasUsed -= gasleft();
        }
    }

    function gasCdfHi(int256 x) external view returns (uint256 value, uint256 gasUsed) {
        gasUsed = gasleft();
        value = NormalDist.cdfHi(x);
        unchecked {
            gasUsed -= gasleft();
        }
    }

    function gasPdf(int256 x) external view returns (uint256 value, uint256 gasUsed) {
        gasUsed = gasleft();
        value = NormalDist.pdf(x);
        unchecked {
            gasUsed -= gasleft();
        }
    }

    function gasQuote(uint256 spot, uint256 strike, uint256 tau, uint256 vol, uint256 rate)
        external
        view
        returns (BlackScholes.Quote memory q, uint256 gasUsed)
    {
        gasUsed = gasleft();
        q = BlackScholes.quote(spot, strike, tau, vol, rate);
        unchecked {
            gasUsed -= gasleft();
        }
    }

    /// @notice Gas of `cdf` at each point (one array), for averaging over representative inputs.
    function gasCdfBatch(int256[] calldata xs) external view returns (uint256[] memory gasUsed) {
        gasUsed = new uint256[](xs.length);
        for (uint256 i; i < xs.length; ++i) {
            int256 x = xs[i];
            uint256 g = gasleft();
            NormalDist.cdf(x);
            unchecked {
                gasUsed[i] = g - gasleft();
            }
        }
    }

    function gasPdfBatch(int256[] calldata xs) external view returns (uint256[] memory gasUsed) {
        gasUsed = new uint256[](xs.length);
        for (uint256 i; i < xs.length; ++i) {
            int256 x = xs[i];
            uint256 g = gasleft();
            NormalDist.pdf(x);
            unchecked {
                gasUsed[i] = g - gasleft();
            }
        }
    }

    function gasQuoteBatch(
        uint256[] calldata spot,
        uint256[] calldata strike,
        uint256[] calldata tau,
        uint256[] calldata vol,
        uint256[] calldata rate
    ) external view returns (uint256[] memory gasUsed) {
        uint256 n = spot.length;
        if (strike.length != n || tau.length != n || vol.length != n || rate.length != n) revert LengthMismatch();
        gasUsed = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            gasUsed[i] = _quoteGas(spot[i], strike[i], tau[i], vol[i], rate[i]);
        }
    }

    function _quoteGas(uint256 spot, uint256 strike, uint256 tau, uint256 vol, uint256 rate)
        private
        view
        returns (uint256 gasUsed)
    {
        gasUsed = gasleft();
        BlackScholes.quote(spot, strike, tau, vol, rate);
        unchecked {
            gasUsed -= gasleft();
        }
    }
}
